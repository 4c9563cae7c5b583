using System.Text.Json.Serialization;

namespace BemsServer.Protocol.Services;

/// <summary>
/// Source-generated serialization of the services' bodies. Member names are as the samples spell them (PascalCase for
/// Directory Lookup and Contact, lower case for Presence, set per member); nulls are left out.
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LookupUserRequest))]
[JsonSerializable(typeof(List<Dictionary<string, string>>))]
[JsonSerializable(typeof(PresenceSubscriptionRequest))]
[JsonSerializable(typeof(PresenceSnapshot))]
[JsonSerializable(typeof(ContactSearchRequest))]
[JsonSerializable(typeof(ContactSearchResult))]
[JsonSerializable(typeof(PersonalContact))]
[JsonSerializable(typeof(List<PushEntry>))]
public sealed partial class ServicesJsonContext : JsonSerializerContext;
