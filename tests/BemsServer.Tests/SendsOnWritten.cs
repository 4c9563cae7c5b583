using BemsServer.Protocol;

namespace BemsServer.Tests;

/// <summary>A delivery receipt that sends when its frame is written, as a chat message's receipt queues its COMPLETE.</summary>
internal sealed class SendsOnWritten(Action send) : IDeliveryReceipt
{
    public void Written() => send();

    public void Dropped()
    {
    }
}
