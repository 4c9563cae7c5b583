using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Tests.Dispatch;

/// <summary>A request's effects: the response first, then every frame in the order added, each released once.</summary>
public sealed class EffectsTests
{
    private static EventFrame Frame(int n) => new(new PingData(n));

    [Fact]
    public void Release_ResponseLeadsThenEveryFrameInTheOrderAdded_AcrossTargets()
    {
        var (requester, peer) = (new RecordingTarget(), new RecordingTarget());
        var log = new List<(RecordingTarget Target, OutboundFrame Frame)>();
        var fx = new Effects(new Logging(requester, log));
        var (response, a, b, c) = (Frame(0), Frame(1), Frame(2), Frame(3));

        fx.Send(new Logging(peer, log), a);
        fx.Send([new Logging(requester, log), new Logging(peer, log)], b);
        fx.Respond(response);
        fx.Send(new Logging(peer, log), c);
        fx.Release();

        log.Should().Equal((requester, response), (peer, a), (requester, b), (peer, b), (peer, c));
    }

    [Fact]
    public void Release_Twice_SendsOnlyWhatWasAddedSinceTheLastRelease()
    {
        var target = new RecordingTarget();
        var fx = new Effects();
        var (a, b, c) = (Frame(1), Frame(2), Frame(3));

        fx.Send(target, a);
        fx.Release();
        fx.Send(target, b);
        fx.Send(target, c);
        fx.Release();
        fx.Release();

        target.Frames.Should().Equal(a, b, c);
    }

    [Fact]
    public void Release_BeforeTheResponse_Throws()
    {
        var fx = new Effects(new RecordingTarget());
        fx.Send(new RecordingTarget(), Frame(1));

        fx.Invoking(e => e.Release()).Should().Throw<InvalidOperationException>();
    }

    /// <summary>Records into one shared log which target got which frame, so the order across targets shows.</summary>
    private sealed class Logging(RecordingTarget target, List<(RecordingTarget, OutboundFrame)> log) : IFrameTarget
    {
        public void Deliver(OutboundFrame frame)
        {
            log.Add((target, frame));
            target.Deliver(frame);
        }
    }
}
