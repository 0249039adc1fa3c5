using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Sandbox;

// Slack's side of request signing (reference §1), kept apart from the bot's verifier so that each checks the other.
public static class SlackSigner
{
    public static string Sign(string secret, long timestamp, string body) =>
        "v0=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"v0:{timestamp}:{body}")));
}
