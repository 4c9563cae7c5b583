using BemsServer.Dispatch;
using BemsServer.Protocol;

namespace BemsServer.Tests;

/// <summary>What a <see cref="RecordingTarget"/> tells the receipt of each frame it is given.</summary>
internal enum ReceiptReply
{
    /// <summary>Nothing: a connection that neither writes nor drops yet; the frame's outcome stays open.</summary>
    None,

    /// <summary>Written at once: a device that takes every frame.</summary>
    Written,

    /// <summary>Dropped, and the frame not recorded: a connection cut off for not reading loses what it is given.</summary>
    Dropped,

    /// <summary>Kept in <see cref="RecordingTarget.Held"/> until the test answers it: a socket that stopped taking bytes.</summary>
    Held,
}

/// <summary>
/// The unit tests' connection: records every frame it is given, in order, and answers each frame's receipt as
/// <see cref="Reply"/> says (by default it leaves receipts alone).
/// </summary>
internal sealed class RecordingTarget(ReceiptReply reply = ReceiptReply.None) : IFrameTarget
{
    public ReceiptReply Reply { get; set; } = reply;

    /// <summary>The frames recorded so far, oldest first.</summary>
    public List<OutboundFrame> Frames { get; } = [];

    /// <summary>The receipts held unanswered (<see cref="ReceiptReply.Held"/>), oldest first.</summary>
    public List<IDeliveryReceipt> Held { get; } = [];

    public void Deliver(OutboundFrame frame)
    {
        if (Reply == ReceiptReply.Dropped)
        {
            frame.Receipt?.Dropped();
            return;
        }
        Frames.Add(frame);
        if (frame.Receipt is not { } receipt) return;
        if (Reply == ReceiptReply.Written) receipt.Written();
        else if (Reply == ReceiptReply.Held) Held.Add(receipt);
    }

    /// <summary>The frames recorded since the last call, the record emptied.</summary>
    public List<OutboundFrame> Take()
    {
        var taken = Frames.ToList();
        Frames.Clear();
        return taken;
    }
}
