using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Tests.Features;

/// <summary>What a session tells a frame's receipt: its connection decides while attached; parked, it keeps the frame for the device; expired, it drops it.</summary>
public sealed class SessionReceiptTests
{
    private sealed class Receipt : IDeliveryReceipt
    {
        public int WrittenCount;
        public int DroppedCount;

        public void Written() => WrittenCount++;
        public void Dropped() => DroppedCount++;
    }

    private static (EventFrame Frame, Receipt Receipt) Tracked()
    {
        var receipt = new Receipt();
        return (new EventFrame(new MessageReceivedData("1", "chat", "sip:alice@example.com", "hi", 1)) { Receipt = receipt }, receipt);
    }

    private readonly RecordingTarget _connection = new(); // neither writes nor drops yet: it only collects
    private readonly Session _session;

    public SessionReceiptTests() =>
        _session = new Session("s1", new DirectoryUser("bob@example.com", "Bob", Behavior.None), "phone", "2.3", _connection, DateTimeOffset.UnixEpoch);

    [Fact]
    public void Attached_TheConnectionAloneReports()
    {
        var (frame, receipt) = Tracked();

        _session.Deliver(frame);

        _connection.Frames.Should().Equal(frame);
        (receipt.WrittenCount, receipt.DroppedCount).Should().Be((0, 0), "the connection reports once its socket took the frame, or dropped it");
    }

    [Fact]
    public void Parked_KeepsTheFrameForTheDevice_AsTakenForIt_AndHandsItOnAtResume()
    {
        _session.Park();
        var (frame, receipt) = Tracked();

        _session.Deliver(frame);

        (receipt.WrittenCount, receipt.DroppedCount).Should().Be((1, 0), "a parked session keeps it for reconnect (and pushes it, in background mode)");
        var resumed = new RecordingTarget();
        _session.TryResume(resumed).Should().BeTrue();
        resumed.Frames.Should().Equal(frame);
    }

    [Fact]
    public void Expired_DropsWhatIsStillAddressedToIt()
    {
        _session.Park();
        _session.TryExpire().Should().BeTrue();
        var (frame, receipt) = Tracked();

        _session.Deliver(frame);

        (receipt.WrittenCount, receipt.DroppedCount).Should().Be((0, 1), "nobody will ever read it");
        _session.TryResume(new RecordingTarget()).Should().BeFalse();
    }
}
