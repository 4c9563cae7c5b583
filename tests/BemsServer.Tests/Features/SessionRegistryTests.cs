using BemsServer.Dispatch;
using BemsServer.Features.Background;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace BemsServer.Tests.Features;

public sealed class SessionRegistryTests
{
    private readonly FakeTimeProvider _clock = new();

    private Session BackgroundSession(SessionRegistry registry)
    {
        var user = new DirectoryUser("me@example.com", "Me", Behavior.None);
        var session = new Session("s1", user, "phone-1", "2.3", new RecordingTarget(), _clock.GetUtcNow())
        {
            Background = new BackgroundMode(0, "Default", null, new PushLog("t", new UserDirectory([user]), _clock, NullLogger.Instance)),
        };
        registry.Register(session);
        return session;
    }

    [Fact]
    public void ParkedSession_ConfiguredTimeoutPasses_IsUnregistered()
    {
        var registry = new SessionRegistry(_clock, TimeSpan.FromSeconds(30));
        var session = BackgroundSession(registry);
        registry.Disconnected(session);

        _clock.Advance(TimeSpan.FromSeconds(29));
        registry.FindParked("phone-1").Should().BeSameAs(session);
        _clock.Advance(TimeSpan.FromSeconds(1));

        registry.IsOnline("me@example.com").Should().BeFalse();
        registry.FindParked("phone-1").Should().BeNull();
        session.TryResume(new RecordingTarget()).Should().BeFalse("an expired session cannot be resumed");
    }

    [Fact]
    public void ParkedTimeout_ByDefault_IsTenMinutes()
    {
        var registry = new SessionRegistry(_clock);
        var session = BackgroundSession(registry);
        registry.Disconnected(session);

        _clock.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromTicks(1));
        registry.IsOnline("me@example.com").Should().BeTrue();
        _clock.Advance(TimeSpan.FromTicks(1));

        registry.IsOnline("me@example.com").Should().BeFalse();
        new BemsSessionOptions().ParkedTimeout.Should().Be(TimeSpan.FromMinutes(10));
    }
}
