using System.Buffers;
using System.Text.Json;
using BemsServer.Protocol;

namespace BemsServer.Tests;

/// <summary>The session half's side of an outbox, as a test sets it: the wire numbering and a written-frame hook.</summary>
internal sealed class TestEncoder(long sequenceBase = 0) : IFrameEncoder
{
    private readonly WireCounters _counters = new(sequenceBase);

    public Action<OutboundFrame, ReadOnlySequence<byte>>? OnWritten { get; set; }

    public void Encode(Utf8JsonWriter writer, OutboundFrame frame) => FrameSerializer.Write(writer, frame, _counters);

    public void Encoded(OutboundFrame frame, ReadOnlySequence<byte> utf8) => OnWritten?.Invoke(frame, utf8);
}
