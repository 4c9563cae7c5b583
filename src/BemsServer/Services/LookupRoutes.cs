using BemsServer.Features.Lookup;
using BemsServer.Protocol.Services;

namespace BemsServer.Services;

/// <summary>Directory Lookup: <c>POST /api/lookupuser</c> (see <see cref="DirectoryLookup"/>).</summary>
internal static class LookupRoutes
{
    private static readonly string[] DefaultShape = [UserShapes.FullName, UserShapes.EmailAddress];

    public static void Map(IEndpointRouteBuilder group) =>
        group.MapPost(ServicePaths.LookupUser, LookupAsync)
            .Produces<List<Dictionary<string, string>>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Directory Lookup: the directory users (and, with SearchContacts, the caller's contacts) matching SearchKey, as a bare array of the requested shape.");

    private static async Task<IResult> LookupAsync(HttpContext context, ServiceGate gate, CancellationToken cancellationToken)
    {
        var (tenant, caller) = gate.CallerOf(context, "lookupuser");
        var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var account = body.RequiredString("Account");
        var searchKey = body.RequiredString("SearchKey");
        var maxNumber = body.OptionalInt("MaxNumber") ?? 0;
        var searchContacts = body.OptionalBool("SearchContacts") ?? false;
        var shape = body.OptionalStrings("UserShape", maxCount: 64) ?? DefaultShape;
        ServiceGate.CheckAccount(caller, account);
        if (searchKey.Trim().Length == 0) throw ServiceProblem.BadRequest("'SearchKey' must not be empty.");

        var found = DirectoryLookup.Search(tenant.Directory, tenant.Contacts, tenant.Services.PersonalContacts, caller, searchKey, maxNumber,
            searchContacts, shape);
        return TypedResults.Json(found, ServiceJson.Context.ListDictionaryStringString);
    }
}
