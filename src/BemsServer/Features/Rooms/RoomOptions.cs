using System.ComponentModel.DataAnnotations;

namespace BemsServer.Features.Rooms;

/// <summary><c>Bems:Rooms</c>: persistent chat (group discussion rooms).</summary>
internal sealed class RoomOptions
{
    public const string SectionName = "Bems:Rooms";

    /// <summary>The host part of room ids, <c>ma-chan://{Host}/{guid}</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:[0-9]{1,5})?$")]
    public string Host { get; set; } = "gems.example.com";

    /// <summary>
    /// The category of a pc.CreateRoom that names none (the BEMS dashboard's default category). Empty: such a call is
    /// refused. A category the seed does not declare exists anyway, open to every creator, sending invitations.
    /// </summary>
    public string DefaultCategory { get; set; } = "general";
}
