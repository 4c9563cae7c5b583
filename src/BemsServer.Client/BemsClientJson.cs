using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace BemsServer.Client;

/// <summary>Source-generated metadata for what the client writes itself (requests are built as <see cref="JsonObject"/>).</summary>
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class BemsClientJson : JsonSerializerContext;
