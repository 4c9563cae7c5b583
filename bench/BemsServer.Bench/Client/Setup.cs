using System.Collections.Concurrent;
using System.Net;

namespace BemsServer.Bench.Client;

/// <summary>A sender/recipient pair (for R1 both are the same echo connection).</summary>
internal sealed class Pair(int index, WsConn sender, WsConn recipient, SendMessageTemplate template)
{
    public int Index { get; } = index;
    public WsConn Sender { get; } = sender;
    public WsConn Recipient { get; } = recipient;
    public SendMessageTemplate Template { get; } = template;

    // Closed-loop state: the message in flight and how many of its outcomes are still missing.
    internal long CurrentSeq = -1;
    internal int Remaining;
    internal long SentTimestamp;
}

/// <summary>Frame sink used while signing in and opening chats: completes the pending request per connection.</summary>
internal sealed class SetupSink : IFrameSink
{
    public static readonly SetupSink Instance = new();

    public void OnFrame(WsConn conn, in Frame frame)
    {
        if (frame.ClientId >= 0 && frame.ClientId == Volatile.Read(ref conn.PendingId))
        {
            var pending = conn.Pending;
            if (frame.IsError)
            {
                pending?.TrySetException(new InvalidOperationException($"Request c{frame.ClientId} of {conn.User} failed (error frame, method {frame.Method})."));
            }
            else if (frame.State == FrameState.Complete || conn.Echo)
            {
                pending?.TrySetResult(frame);
            }
        }
        else if (frame.Method == FrameMethod.InvitationReceived && frame.RequestId is { } requestId)
        {
            conn.Invitation?.TrySetResult(requestId);
        }
    }

    public void OnUnparsable(WsConn conn) =>
        conn.Pending?.TrySetException(new InvalidOperationException($"Unparsable frame for {conn.User}."));

    public void OnClosed(WsConn conn, Exception? error)
    {
        var ex = new InvalidOperationException($"Connection of {conn.User} closed during set-up.", error);
        conn.Pending?.TrySetException(ex);
        conn.Invitation?.TrySetException(ex);
    }
}

/// <summary>Signs users in and opens chats, with bounded concurrency and timeouts.</summary>
/// <param name="source">The loopback address connections leave from (the scale phase's spread), or null for the system's choice.</param>
internal sealed class SessionFactory(IPAddress? source, TimeSpan timeout, int concurrency)
{
    public TimeSpan Timeout { get; } = timeout;

    /// <summary>Sends one request and waits for its COMPLETE (an error frame throws).</summary>
    public async Task<Frame> RequestAsync(WsConn conn, Func<long, byte[]> build)
    {
        var id = conn.NextId();
        var tcs = new TaskCompletionSource<Frame>(TaskCreationOptions.RunContinuationsAsynchronously);
        conn.Pending = tcs;
        Volatile.Write(ref conn.PendingId, id);
        await conn.SendAsync(build(id));
        return await tcs.Task.WaitAsync(Timeout);
    }

    /// <summary>Connects; when <paramref name="signIn"/>, also completes a BeginSession as <paramref name="user"/>.</summary>
    public async Task<WsConn> OpenAsync(Uri uri, string user, bool signIn)
    {
        var conn = await WsConn.ConnectAsync(uri, source, user, SetupSink.Instance, Timeout);
        if (signIn)
        {
            try
            {
                await RequestAsync(conn, id => Requests.BeginSession(id, user));
            }
            catch
            {
                conn.Dispose();
                throw;
            }
        }

        return conn;
    }

    /// <summary>
    /// Opens <paramref name="count"/> connections concurrently, the <c>i</c>th to <paramref name="uriOf"/>(i) (one
    /// address on one node, the nodes in turn in a cluster); user names come from <paramref name="userOf"/>.
    /// </summary>
    public async Task<List<WsConn>> OpenManyAsync(Func<int, Uri> uriOf, int first, int count, Func<int, string> userOf, bool signIn)
    {
        var opened = new ConcurrentBag<WsConn>();
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(first, count),
                new ParallelOptions { MaxDegreeOfParallelism = concurrency },
                async (i, _) => opened.Add(await OpenAsync(uriOf(i), userOf(i), signIn)));
        }
        catch
        {
            DisposeAll(opened);
            throw;
        }

        return [.. opened];
    }

    /// <summary>
    /// Opens <paramref name="count"/> pairs. For BemsServer: both users sign in, the sender
    /// starts a chat, the recipient accepts it, and the sender's StartChat completes.
    /// For R1: one echo connection per pair. Senders connect to <paramref name="senderUri"/>, recipients to
    /// <paramref name="recipientUri"/> (the same address on one node; two nodes of a cluster with --nodes 2).
    /// </summary>
    public async Task<Pair[]> OpenPairsAsync(Uri senderUri, Uri recipientUri, int count, bool bems)
    {
        var pairs = new Pair[count];
        var connections = new ConcurrentBag<WsConn>();
        try
        {
            await Parallel.ForEachAsync(
                Enumerable.Range(0, count),
                new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, concurrency / 2) },
                async (i, _) =>
                {
                    var senderUser = $"a{i}@example.com";
                    var recipientUser = $"b{i}@example.com";
                    var template = new SendMessageTemplate(recipientUser);
                    var sender = await OpenAsync(senderUri, senderUser, signIn: bems);
                    connections.Add(sender);
                    if (!bems)
                    {
                        pairs[i] = new Pair(i, sender, sender, template);
                        sender.Pair = pairs[i];
                        return;
                    }

                    var recipient = await OpenAsync(recipientUri, recipientUser, signIn: true);
                    connections.Add(recipient);
                    await OpenChatAsync(sender, recipient);
                    pairs[i] = new Pair(i, sender, recipient, template);
                    sender.Pair = pairs[i];
                    recipient.Pair = pairs[i];
                });
        }
        catch
        {
            DisposeAll(connections);
            throw;
        }

        return pairs;
    }

    /// <summary>The sender starts a chat with the recipient, who accepts it; both are signed in.</summary>
    public async Task OpenChatAsync(WsConn sender, WsConn recipient)
    {
        var invitation = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        recipient.Invitation = invitation;
        var startChat = RequestAsync(sender, id => Requests.StartChat(id, recipient.User));
        var first = await Task.WhenAny(invitation.Task, startChat).WaitAsync(Timeout);
        if (first == startChat)
        {
            await startChat; // Throws when StartChat failed before any invitation.
        }

        var requestId = await invitation.Task.WaitAsync(Timeout);
        await RequestAsync(recipient, id => Requests.AcceptChat(id, requestId));
        await startChat;
        recipient.Invitation = null;
    }

    public static void DisposeAll(IEnumerable<WsConn> connections)
    {
        foreach (var c in connections)
        {
            c.Dispose();
        }
    }

    public static void DisposeAll(IEnumerable<Pair> pairs)
    {
        foreach (var p in pairs)
        {
            p.Sender.Dispose();
            if (!ReferenceEquals(p.Sender, p.Recipient))
            {
                p.Recipient.Dispose();
            }
        }
    }
}
