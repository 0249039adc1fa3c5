using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// Response bodies are anonymous objects whose member names are the wire names (snake_case where the real API
// uses it), so no naming policy is applied.
internal static class SandboxJson
{
    // Relaxed escaping writes ', < and > literally ("->", "What's Changed") as GitHub and Fly do, not as \u0027 and friends.
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static IResult Json(object body, int status = StatusCodes.Status200OK) =>
        Results.Json(body, Options, statusCode: status);

    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    // An absent or empty body reads as an empty object; a malformed one as null.
    public static async Task<JsonObject?> ReadObjectAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static string? GetString(this JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? GetBool(this JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static int? GetInt(this JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i : null;

    public static string Sha1Hex(string text) => Sha1Hex(Encoding.UTF8.GetBytes(text));

    public static string Sha1Hex(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));

    public static string RandomHex(int length) => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes((length + 1) / 2))[..length];

    public static string RandomAlphanumeric(int length) =>
        RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", length);
}
