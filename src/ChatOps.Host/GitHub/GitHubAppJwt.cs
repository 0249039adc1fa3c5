using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ChatOps.Host.GitHub;

// The JWT a GitHub App signs to ask for an installation token: RS256, issued by the app id, valid at most ten minutes.
internal static class GitHubAppJwt
{
    // GitHub refuses an exp more than ten minutes after iat; nine leaves room for our clock running ahead.
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    // iat a minute back, as GitHub advises, so a server clock slightly behind ours still takes it.
    private static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);

    public static string Create(string appId, RSA key, DateTimeOffset now)
    {
        var header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["typ"] = "JWT" }));
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["iat"] = (now - Backdate).ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["iss"] = appId,
        }));
        var signature = key.SignData(Encoding.ASCII.GetBytes($"{header}.{payload}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    // The key as GitHub hands it out (PKCS#1 "RSA PRIVATE KEY") or converted (PKCS#8 "PRIVATE KEY"); escaped newlines
    // (\n in one line, as a secret set from a shell often ends up) are read as newlines.
    public static RSA ReadKey(string pem)
    {
        var key = RSA.Create();
        try
        {
            key.ImportFromPem(pem.Replace("\\n", "\n", StringComparison.Ordinal));
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public static string? KeyProblem(string pem)
    {
        try
        {
            using var key = ReadKey(pem);
            return null;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            return "GitHub:AppPrivateKey (GITHUB_APP_PRIVATE_KEY) is not a PEM RSA private key (-----BEGIN RSA PRIVATE KEY----- …, the .pem file GitHub gave for the app)";
        }
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
