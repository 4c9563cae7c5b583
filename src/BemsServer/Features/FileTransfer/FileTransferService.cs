using System.Collections.Concurrent;
using BemsServer.Dispatch;
using BemsServer.Features.Directory;
using BemsServer.Features.Sessions;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.FileTransfer;

/// <summary>A pending file-transfer invitation; guarded by its own monitor.</summary>
internal sealed class FileOffer(string fileId, DirectoryUser sender, DirectoryUser recipient)
{
    public string FileId { get; } = fileId;
    public DirectoryUser Sender { get; } = sender;
    public DirectoryUser Recipient { get; } = recipient;
    public ITimer? Timer { get; set; }
}

/// <summary>
/// A tenant's one-to-one file-transfer invitations: offered, then Accepted, Declined or Expired (after the invitation timeout,
/// on the injected clock). Only the invitation is emulated: the bytes would go over MSNFTP, outside BEMS.
/// </summary>
internal sealed class FileTransferService(SessionRegistry sessions, TimeProvider time, TimeSpan timeout)
{
    /// <summary>
    /// Keyed by sender and fileId: a fileId is the sender's own name for its offer, so another user's pending id neither
    /// answers "already pending" nor can be taken by someone else.
    /// </summary>
    private readonly ConcurrentDictionary<(string Sender, string FileId), FileOffer> _offers = new();

    internal enum Outcome { Offered, Duplicate }

    /// <summary>InviteFileXfer: the recipient's sessions get FileXferInvitationReceived; nobody signed in reads as Expired at once.</summary>
    public Outcome Invite(DirectoryUser sender, DirectoryUser recipient, string fileName, long fileSize, string fileId, Effects fx)
    {
        var offer = new FileOffer(fileId, sender, recipient);
        lock (offer)
        {
            if (!_offers.TryAdd((sender.Key, fileId), offer)) return Outcome.Duplicate;
            var targets = sessions.TargetsOf(recipient.Key);
            if (targets.Count == 0)
            {
                FinishLocked(offer, Wire.Expired, fx);
                return Outcome.Offered;
            }
            fx.Send(targets, new EventFrame(new FileXferInvitationReceivedData(sender.Uri, fileName, fileSize, fileId)));
            offer.Timer = time.CreateTimer(static state =>
            {
                var (service, pending) = ((FileTransferService, FileOffer))state!;
                service.Expire(pending);
            }, (this, offer), timeout, Timeout.InfiniteTimeSpan);
        }
        return Outcome.Offered;
    }

    /// <summary>Accept or Decline by the recipient; false when no such offer from that sender waits for this user.</summary>
    public bool Answer(DirectoryUser recipient, DirectoryUser sender, string fileId, string status, Effects fx)
    {
        if (!_offers.TryGetValue((sender.Key, fileId), out var offer)) return false;
        lock (offer)
        {
            if (!ReferenceEquals(offer.Recipient, recipient) || !ReferenceEquals(offer.Sender, sender)) return false;
            return FinishLocked(offer, status, fx);
        }
    }

    private void Expire(FileOffer offer)
    {
        var fx = new Effects();
        lock (offer) FinishLocked(offer, Wire.Expired, fx);
        fx.Release();
    }

    private bool FinishLocked(FileOffer offer, string status, Effects fx)
    {
        if (!_offers.TryRemove(new KeyValuePair<(string, string), FileOffer>((offer.Sender.Key, offer.FileId), offer))) return false;
        offer.Timer?.Dispose();
        fx.Send(sessions.TargetsOf(offer.Sender.Key),
            new EventFrame(new FileXferInvitationUpdateData(offer.FileId, status) { State = Wire.Complete }));
        return true;
    }
}
