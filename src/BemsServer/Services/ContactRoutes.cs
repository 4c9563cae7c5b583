using BemsServer.Protocol.Services;

namespace BemsServer.Services;

/// <summary>
/// The Contact Service on the caller's personal contacts: <c>POST /api/contact</c> (a page: MaxNumber, Offset,
/// UserShape), <c>/api/contact/create</c> and <c>/api/contact/update</c> (by Id; members left out are kept).
/// </summary>
internal static class ContactRoutes
{
    private static readonly string[] DefaultShape = ["DisplayName", "EmailAddress"];

    public static void Map(IEndpointRouteBuilder group)
    {
        group.MapPost(ServicePaths.Contact, SearchAsync)
            .Produces<ContactSearchResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .WithSummary("Contact Service: a page of the caller's personal contacts, by display name; LookupInfo.Size is the page's length.");
        group.MapPost(ServicePaths.ContactCreate, CreateAsync)
            .Produces<PersonalContact>()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .WithSummary("Contact Service: creates a personal contact (FirstName, LastName, EmailAddress1, …); answers it with its Id.");
        group.MapPost(ServicePaths.ContactUpdate, UpdateAsync)
            .Produces<PersonalContact>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Contact Service: changes the members given of the personal contact named by Id; answers the contact.");
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ServiceGate gate, CancellationToken cancellationToken)
    {
        var (tenant, caller) = gate.CallerOf(context, "contact");
        var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        var account = body.RequiredString("Account");
        var maxNumber = body.OptionalInt("MaxNumber") ?? 0;
        var offset = body.OptionalInt("Offset") ?? 0;
        var shape = body.OptionalStrings("UserShape", maxCount: 64) ?? DefaultShape;
        ServiceGate.CheckAccount(caller, account);
        if (offset < 0) throw ServiceProblem.BadRequest("'Offset' must not be negative.");

        var all = tenant.Services.PersonalContacts.Of(caller.Key);
        var page = all.Skip(offset);
        if (maxNumber > 0) page = page.Take(maxNumber);
        var names = shape.Where(static n => ContactFields.All.Contains(n, StringComparer.Ordinal)).Distinct(StringComparer.Ordinal).ToList();
        List<IReadOnlyDictionary<string, string>> contacts = [.. page.Select(c => Shape(c, names))];
        return TypedResults.Json(new ContactSearchResult(new ContactLookupInfo(contacts.Count, all.Count), contacts),
            ServiceJson.Context.ContactSearchResult);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, ServiceGate gate, CancellationToken cancellationToken)
    {
        var (tenant, caller) = gate.CallerOf(context, "contact");
        var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body.OptionalString("Account") is { } account) ServiceGate.CheckAccount(caller, account);
        var draft = Read(body);
        if (string.IsNullOrWhiteSpace(draft.FirstName) && string.IsNullOrWhiteSpace(draft.LastName) && string.IsNullOrWhiteSpace(draft.DisplayName)
            && string.IsNullOrWhiteSpace(draft.EmailAddress1))
            throw ServiceProblem.BadRequest("A contact needs a FirstName, LastName, DisplayName or EmailAddress1.");
        var book = tenant.Services.PersonalContacts;
        var stored = book.Create(caller.Key, draft)
            ?? throw new ServiceProblem(StatusCodes.Status409Conflict,
                $"{caller.Key} already has {book.MaxPerUser} personal contacts (Bems:ContactService:MaxContactsPerUser).");
        return TypedResults.Json(stored, ServiceJson.Context.PersonalContact);
    }

    private static async Task<IResult> UpdateAsync(HttpContext context, ServiceGate gate, CancellationToken cancellationToken)
    {
        var (tenant, caller) = gate.CallerOf(context, "contact");
        var body = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (body.OptionalString("Account") is { } account) ServiceGate.CheckAccount(caller, account);
        var id = body.RequiredString("Id");
        var updated = tenant.Services.PersonalContacts.Update(caller.Key, id, Read(body))
            ?? throw new ServiceProblem(StatusCodes.Status404NotFound, $"{caller.Key} has no personal contact with Id '{id}'.");
        return TypedResults.Json(updated, ServiceJson.Context.PersonalContact);
    }

    private static PersonalContact Read(JsonBody body) => new()
    {
        FirstName = body.OptionalString("FirstName"),
        LastName = body.OptionalString("LastName"),
        DisplayName = body.OptionalString("DisplayName"),
        EmailAddress1 = body.OptionalString("EmailAddress1"),
        EmailAddress2 = body.OptionalString("EmailAddress2"),
        EmailAddress3 = body.OptionalString("EmailAddress3"),
        CompanyName = body.OptionalString("CompanyName"),
        JobTitle = body.OptionalString("JobTitle"),
        MobilePhone = body.OptionalString("MobilePhone"),
        BusinessPhone = body.OptionalString("BusinessPhone"),
        HomePhone = body.OptionalString("HomePhone"),
    };

    /// <summary>The requested fields the contact has a value for, in the order asked; EmailAddress is EmailAddress1.</summary>
    private static Dictionary<string, string> Shape(PersonalContact contact, List<string> names)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var value = name switch
            {
                "Id" => contact.Id,
                "FirstName" => contact.FirstName,
                "LastName" => contact.LastName,
                "DisplayName" => contact.DisplayName,
                "EmailAddress" or "EmailAddress1" => contact.EmailAddress1,
                "EmailAddress2" => contact.EmailAddress2,
                "EmailAddress3" => contact.EmailAddress3,
                "CompanyName" => contact.CompanyName,
                "JobTitle" => contact.JobTitle,
                "MobilePhone" => contact.MobilePhone,
                "BusinessPhone" => contact.BusinessPhone,
                "HomePhone" => contact.HomePhone,
                _ => null,
            };
            if (!string.IsNullOrEmpty(value)) result[name] = value;
        }
        return result;
    }
}
