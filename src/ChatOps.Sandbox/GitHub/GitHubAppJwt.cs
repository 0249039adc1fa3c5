using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// The app's JWT as GitHub checks it: RS256 over header.payload with the app's key, iss the app id, exp in the future and
// at most ten minutes after iat. The messages are the ones GitHub is reported to send; which one a given mistake gets
// from the real API is not documented (unconfirmed), only that each is a 401.
internal static class GitHubAppJwt
{
    public const string Undecodable = "A JSON web token could not be decoded";
    public const string Expired = "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";
    public const string TooLong = "'Expiration time' claim ('exp') is too far in the future";
    public const string WrongIssuer = "'Issuer' claim ('iss') must be an Integer";

    // Null when the JWT is the app's and current; otherwise GitHub's 401 message.
    public static string? Problem(string authorization, SandboxOptions options, DateTimeOffset now)
    {
        if (options.GitHubAppPublicKeyPem is not { Length: > 0 } pem || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
            return Undecodable;
        var parts = authorization[7..].Split('.');
        if (parts.Length != 3)
            return Undecodable;
        JsonObject payload;
        try
        {
            using var key = RSA.Create();
            key.ImportFromPem(pem);
            var signed = Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
            if (!key.VerifyData(signed, FromBase64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
                return Undecodable;
            var header = JsonNode.Parse(FromBase64Url(parts[0])) as JsonObject;
            if (header?["alg"]?.GetValue<string>() != "RS256")
                return Undecodable;
            payload = JsonNode.Parse(FromBase64Url(parts[1])) as JsonObject ?? throw new FormatException("not an object");
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or CryptographicException or InvalidOperationException)
        {
            return Undecodable;
        }

        if (payload["iss"]?.ToString() != options.GitHubAppId.ToString(CultureInfo.InvariantCulture))
            return WrongIssuer;
        if (!long.TryParse(payload["exp"]?.ToString(), CultureInfo.InvariantCulture, out var exp) || !long.TryParse(payload["iat"]?.ToString(), CultureInfo.InvariantCulture, out var iat))
            return Undecodable;
        if (exp <= now.ToUnixTimeSeconds())
            return Expired;
        return exp - iat > 600 ? TooLong : null;
    }

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }
}
