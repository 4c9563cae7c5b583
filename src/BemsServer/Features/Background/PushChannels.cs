using System.Collections.Concurrent;
using System.Threading.Channels;

namespace BemsServer.Features.Background;

/// <summary>
/// The live followers of each GNP token (<c>/gnp/channel?token=</c>): every push to the token goes to each of them as
/// its text. Each follower holds at most <see cref="Backlog"/> unsent pushes (the oldest are dropped for a slow reader,
/// never blocking the push), and a token has at most <see cref="MaxFollowers"/>.
/// </summary>
internal sealed class PushChannels
{
    public const int Backlog = 256;
    public const int MaxFollowers = 8;

    private readonly ConcurrentDictionary<string, Channel<string>[]> _followers = new(StringComparer.Ordinal);

    /// <summary>Follows the token; null when it already has <see cref="MaxFollowers"/>. Dispose the follower to stop.</summary>
    public Follower? Follow(string token)
    {
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(Backlog)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = false,
        });
        while (true)
        {
            var current = _followers.GetValueOrDefault(token);
            if (current is { Length: >= MaxFollowers }) return null;
            var added = current is null
                ? _followers.TryAdd(token, [channel])
                : _followers.TryUpdate(token, [.. current, channel], current);
            if (added) return new Follower(this, token, channel);
        }
    }

    public void Publish(string token, string text)
    {
        if (!_followers.TryGetValue(token, out var channels)) return;
        foreach (var channel in channels) channel.Writer.TryWrite(text);
    }

    private void Unfollow(string token, Channel<string> channel)
    {
        channel.Writer.TryComplete();
        while (_followers.TryGetValue(token, out var current))
        {
            var remaining = Array.FindAll(current, c => !ReferenceEquals(c, channel));
            if (remaining.Length == current.Length) return;
            var updated = remaining.Length == 0
                ? _followers.TryRemove(new KeyValuePair<string, Channel<string>[]>(token, current))
                : _followers.TryUpdate(token, remaining, current);
            if (updated) return;
        }
    }

    /// <summary>One follower of a token: read its pushes; dispose it to stop following.</summary>
    internal sealed class Follower(PushChannels owner, string token, Channel<string> channel) : IDisposable
    {
        public ChannelReader<string> Pushes => channel.Reader;

        public void Dispose() => owner.Unfollow(token, channel);
    }
}
