using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Client;

public sealed partial class BemsClient
{
    /// <summary>SearchDirectory: <paramref name="typeSearch"/> is <c>name</c>, <c>displayname</c>, <c>firstname</c>, <c>lastname</c> or <c>email</c>.</summary>
    public Task<SearchDirectoryData> SearchDirectoryAsync(string keySearch, string typeSearch = "name", CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.SearchDirectory, Params(("keySearch", keySearch), ("typeSearch", typeSearch)), BemsJsonContext.Default.SearchDirectoryData,
            cancellationToken);

    /// <summary>GetContactDetail: the contact's card.</summary>
    public async Task<ContactCard> GetContactDetailAsync(string contactId, CancellationToken cancellationToken = default) =>
        (await CallAsync(MethodNames.GetContactDetail, Params(("contactId", contactId)), BemsJsonContext.Default.GetContactDetailData, cancellationToken)
            .ConfigureAwait(false)).Contact.Values.Single();

    /// <summary>GetContactPhotos: one photo (base64) per contact, in request order.</summary>
    public async Task<IReadOnlyList<ContactPhoto>> GetContactPhotosAsync(IEnumerable<string> contactIds, CancellationToken cancellationToken = default) =>
        (await CallAsync(MethodNames.GetContactPhotos, Params(("contactIds", Array(contactIds))), BemsJsonContext.Default.GetContactPhotosData,
            cancellationToken).ConfigureAwait(false)).Contacts;

    /// <summary>InviteFileXfer: offers a file to the contact (the recipient gets FileXferInvitationReceived).</summary>
    public Task InviteFileXferAsync(string contactId, string fileId, string fileName, long? fileSize = null, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.InviteFileXfer, Params(("contactId", contactId), ("fileId", fileId), ("fileName", fileName), ("fileSize", fileSize)),
            cancellationToken);

    /// <summary>AcceptFileXfer: accepts the sender's offer.</summary>
    public Task AcceptFileXferAsync(string contactId, string fileId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.AcceptFileXfer, Params(("contactId", contactId), ("fileId", fileId)), cancellationToken);

    /// <summary>DeclineFileXfer: declines the sender's offer.</summary>
    public Task DeclineFileXferAsync(string contactId, string fileId, CancellationToken cancellationToken = default) =>
        CallAsync(MethodNames.DeclineFileXfer, Params(("contactId", contactId), ("fileId", fileId)), cancellationToken);
}
