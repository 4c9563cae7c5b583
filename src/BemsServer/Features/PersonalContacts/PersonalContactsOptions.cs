using System.ComponentModel.DataAnnotations;

namespace BemsServer.Features.PersonalContacts;

/// <summary><c>Bems:ContactService</c>: the Contact Service's personal contacts.</summary>
internal sealed class PersonalContactsOptions
{
    public const string SectionName = "Bems:ContactService";

    /// <summary>Personal contacts one user may hold; a further create is refused (409).</summary>
    [Range(1, 1_000_000)]
    public int MaxContactsPerUser { get; set; } = 1000;
}
