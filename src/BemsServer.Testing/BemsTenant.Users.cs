using BemsServer.Protocol.Admin;

namespace BemsServer.Testing;

public sealed partial class BemsTenant
{
    /// <summary>The directory's users.</summary>
    public Task<List<UserView>> GetUsersAsync(CancellationToken cancellationToken = default) =>
        _admin.GetAsync<List<UserView>>(_prefix + "users", cancellationToken);

    /// <summary>Adds a directory user (a <c>Behavior</c> makes it a simulated user, always signed in).</summary>
    public Task<UserView> AddUserAsync(UserChange user, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<UserView>(_prefix + "users", user, cancellationToken);

    /// <summary>Changes a user's display name or behaviour.</summary>
    public Task<UserView> UpdateUserAsync(string id, UserChange change, CancellationToken cancellationToken = default) =>
        _admin.SendAsync<UserView>(HttpMethod.Patch, User(id), change, cancellationToken);

    /// <summary>Removes a user (its connections close with 4001).</summary>
    public Task RemoveUserAsync(string id, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Delete, User(id), null, cancellationToken);

    /// <summary>The signed-in sessions.</summary>
    public Task<List<SessionView>> GetSessionsAsync(CancellationToken cancellationToken = default) =>
        _admin.GetAsync<List<SessionView>>(_prefix + "sessions", cancellationToken);

    /// <summary>Force-closes a session's socket with a close code (1000 or 3000–4999; default 4000).</summary>
    public Task CloseSessionAsync(string sessionId, int? code = null, string? reason = null, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Delete, _prefix + "sessions/" + Uri.EscapeDataString(sessionId)
            + $"?code={code ?? 4000}" + (reason is null ? "" : "&reason=" + Uri.EscapeDataString(reason)), null, cancellationToken);

    /// <summary>Open and pending one-to-one chats, with their queued and delivered messages.</summary>
    public Task<List<ChatView>> GetChatsAsync(CancellationToken cancellationToken = default) =>
        _admin.GetAsync<List<ChatView>>(_prefix + "chats", cancellationToken);

    /// <summary>Makes the user a scripted user (signed in, answering as the script says).</summary>
    public Task SetScenarioAsync(string user, Scenario scenario, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Put, User(user) + "/scenario", scenario, cancellationToken);

    /// <summary>Removes the user's script.</summary>
    public Task RemoveScenarioAsync(string user, CancellationToken cancellationToken = default) =>
        _admin.SendAsync(HttpMethod.Delete, User(user) + "/scenario", null, cancellationToken);

    // Inject: act as a user. The other side receives exactly the frames a real client of that user would cause; the
    // answer lists the acting user's own outcome frames ("SendMessage COMPLETE", "MessageUpdate ack/timeout", …).

    /// <summary>SendMessage as <paramref name="user"/>.</summary>
    public Task<InjectResult> SendAsUserAsync(string user, string to, string message, string? messageId = null, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/send", new InjectMessage(to, message, messageId), cancellationToken);

    /// <summary>StartChat as <paramref name="user"/>.</summary>
    public Task<InjectResult> StartChatAsUserAsync(string user, string to, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/start-chat", new InjectPeer(to), cancellationToken);

    /// <summary>AcceptChat as <paramref name="user"/>: the invitation from <paramref name="from"/>.</summary>
    public Task<InjectResult> AcceptAsUserAsync(string user, string from, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/accept", new InjectAnswer(From: from), cancellationToken);

    /// <summary>DeclineChat as <paramref name="user"/>: the invitation from <paramref name="from"/>.</summary>
    public Task<InjectResult> DeclineAsUserAsync(string user, string from, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/decline", new InjectAnswer(From: from), cancellationToken);

    /// <summary>StartTyping (or StopTyping) as <paramref name="user"/>.</summary>
    public Task<InjectResult> TypingAsUserAsync(string user, string to, bool typing = true, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/typing", new InjectTyping(to, typing), cancellationToken);

    /// <summary>EndChat as <paramref name="user"/>.</summary>
    public Task<InjectResult> EndChatAsUserAsync(string user, string to, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/end-chat", new InjectPeer(to), cancellationToken);

    /// <summary>SetPresence (and/or personal message) as <paramref name="user"/>: watchers get the PresenceUpdate.</summary>
    public Task<InjectResult> SetPresenceAsUserAsync(string user, string? presence, string? personalMessage = null, CancellationToken cancellationToken = default) =>
        _admin.PostAsync<InjectResult>(User(user) + "/presence", new InjectPresence(presence, personalMessage), cancellationToken);

    private string User(string id) => _prefix + "users/" + Uri.EscapeDataString(id);
}
