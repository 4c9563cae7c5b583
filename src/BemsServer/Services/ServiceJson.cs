using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using BemsServer.Protocol.Services;

namespace BemsServer.Services;

/// <summary>
/// The services' answers as Connect's frames are written: characters such as '+' or non-ASCII letters left as they are
/// (the default encoder would write "\u002B1 555"), which is safe in a JSON body that no page embeds.
/// </summary>
internal static class ServiceJson
{
    public static readonly ServicesJsonContext Context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    });
}
