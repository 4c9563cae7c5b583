using BemsServer.Dispatch;
using BemsServer.Features.Chats;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Admin;
using BemsServer.Protocol.Data;

namespace BemsServer.Simulation;

/// <summary>
/// A directory user with a behaviour, signed in for the life of its tenant. It reads the events a real client would get
/// and answers through the same chat service a real client's requests use.
/// </summary>
internal sealed class SimulatedUser : IFrameTarget
{
    private readonly ChatService _chats;
    private readonly UserDirectory _directory;
    private readonly SimulationQueue _queue;
    private readonly Requester _requester;
    private long _echoes;

    public SimulatedUser(DirectoryUser user, string sessionId, ChatService chats, UserDirectory directory, SimulationQueue queue, DateTimeOffset now)
    {
        _chats = chats;
        _directory = directory;
        _queue = queue;
        Session = new Session(sessionId, user, deviceToken: "simulated", Authenticator.Api23, this, now, SessionKind.Simulated);
        _requester = new Requester(this, new RequestId("sim"));
    }

    public Session Session { get; }

    public void Deliver(OutboundFrame frame)
    {
        frame.Receipt?.Written();
        if (frame is not EventFrame { Data: var data }) return; // completions of its own requests need no answer
        switch (data, Session.User.Behavior)
        {
            case (InvitationReceivedData invite, Behavior.Accept or Behavior.Echo):
                _queue.Post(fx => _chats.Accept(Session, invite.RequestId, _requester, fx));
                break;
            case (InvitationReceivedData invite, Behavior.Decline):
                _queue.Post(fx => _chats.Decline(Session, invite.RequestId, _requester, fx));
                break;
            case (MessageReceivedData message, Behavior.Echo):
                _queue.Post(fx => Echo(message, fx));
                break;
        }
    }

    private void Echo(MessageReceivedData message, Effects fx)
    {
        if (_directory.FindByAddress(message.ContactId) is not { } sender) return;
        var id = "echo-" + Interlocked.Increment(ref _echoes).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _chats.SendMessage(Session, sender, new QueuedMessage(_requester, Session.User, message.Message, id, message.Timestamp), fx);
    }
}
