using System.Buffers;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace BemsServer.Transport;

/// <summary>
/// The formatter StreamJsonRpc requires of a message handler. <see cref="BemsMessageHandler"/> parses every inbound
/// message and writes every outbound frame itself (System.Text.Json, source-generated metadata shared by all
/// connections), so nothing is ever formatted here. One shared instance replaces a SystemTextJsonFormatter per
/// connection, which held its own JsonSerializerOptions for nothing (measured: part of every idle session's memory).
/// </summary>
public sealed class UnusedFormatter : IJsonRpcMessageFormatter
{
    public static readonly UnusedFormatter Instance = new();

    private UnusedFormatter()
    {
    }

    public JsonRpcMessage Deserialize(ReadOnlySequence<byte> contentBuffer) =>
        throw new NotSupportedException("BemsMessageHandler parses inbound messages itself.");

    public void Serialize(IBufferWriter<byte> bufferWriter, JsonRpcMessage message) =>
        throw new NotSupportedException("BemsMessageHandler writes outbound frames itself.");

    public object GetJsonText(JsonRpcMessage message) => message.ToString() ?? message.GetType().Name;
}
