using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

namespace BemsServer.Features.Directory;

/// <summary>
/// Searches the tenant's directory. Answers to SearchDirectory (title) and DirectorySearch (request sample); both
/// answers name SearchDirectory, as the sample's PROCESSING and COMPLETE do (spec §4.24). typeSearch: name or displayname (any word of the display name starts with the text), firstname, lastname,
/// email (the address starts with it); case-insensitive; at most <see cref="MaxReturned"/> cards, by display name.
/// </summary>
internal sealed class SearchDirectory : IBemsMethod
{
    public const int MaxReturned = 50;

    private static readonly char[] WordSeparators = [' ', '.', '-', '(', ')', ','];

    public string Name => MethodNames.SearchDirectory;
    public IReadOnlyList<string> Aliases => [MethodNames.DirectorySearch];
    public bool? Background => false;

    public Reply Invoke(RpcCall call)
    {
        var text = call.Params.RequiredString("keySearch").Trim();
        var type = call.Params.RequiredString("typeSearch").Trim().ToLowerInvariant();
        Func<DirectoryUser, bool> matches = type switch
        {
            "name" or "displayname" => u => Words(u).Any(w => Starts(w, text)) || Starts(u.DisplayName, text),
            "firstname" => u => Words(u).FirstOrDefault() is { } w && Starts(w, text),
            "lastname" => u => Words(u).LastOrDefault() is { } w && Starts(w, text),
            "email" => u => Starts(u.Key, ContactAddress.TryNormalize(text, out var key) ? key : text.Replace("sip:", "", StringComparison.OrdinalIgnoreCase)),
            _ => throw call.Params.Invalid("typeSearch", $"typeSearch '{type}' is not one of name, displayname, firstname, lastname, email."),
        };

        var found = call.Tenant.Directory.Users.Where(matches).OrderBy(u => u.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(u => u.Key, StringComparer.Ordinal).ToList();
        var cards = new Dictionary<string, ContactCard>(StringComparer.Ordinal);
        call.Tenant.Contacts.Edit(call.Session.User, list =>
        {
            foreach (var user in found.Take(MaxReturned))
                cards[user.Uri] = ContactCards.Build(call.Tenant, user, list.GroupsOf(user.Key));
        });
        call.Complete(new SearchDirectoryData(cards, found.Count, cards.Count, text));
        return call.Processing(new MethodData(Name));
    }

    private static string[] Words(DirectoryUser user) => user.DisplayName.Split(WordSeparators, StringSplitOptions.RemoveEmptyEntries);

    private static bool Starts(string value, string prefix) => value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase);
}
