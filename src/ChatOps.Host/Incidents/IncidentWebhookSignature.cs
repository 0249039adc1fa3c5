using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Host.Incidents;

/// <summary>
/// Whether a call to the incident webhook comes from someone who holds the shared secret: a PagerDuty V3 signature
/// (<c>X-PagerDuty-Signature: v1=&lt;hex HMAC-SHA256 of the body&gt;</c>), an incident.io one (Standard Webhooks:
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "id.timestamp.body"&gt;</c>, the key the secret after <c>whsec_</c>,
/// base64-decoded), or <c>Authorization: Bearer &lt;secret&gt;</c>. Compared in constant time.
/// </summary>
public static class IncidentWebhookSignature
{
    public const string PagerDutyHeader = "X-PagerDuty-Signature";
    public const string IdHeader = "webhook-id";
    public const string TimestampHeader = "webhook-timestamp";
    public const string SignatureHeader = "webhook-signature";

    // A signed call older or newer than this is refused, so a captured one cannot be replayed later.
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(5);

    public static bool IsValid(string secret, IHeaderDictionary headers, byte[] body, DateTimeOffset now)
    {
        if (secret.Length == 0)
            return false;
        var bearer = headers.Authorization.ToString();
        if (bearer.StartsWith("Bearer ", StringComparison.Ordinal) && SameText(bearer["Bearer ".Length..].Trim(), secret))
            return true;
        if (headers[PagerDutyHeader].ToString() is { Length: > 0 } pagerDuty)
            return pagerDuty.Split(',', StringSplitOptions.TrimEntries).Any(s => SameText(s, PagerDuty(secret, body)));
        if (headers[SignatureHeader].ToString() is { Length: > 0 } signatures
            && long.TryParse(headers[TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
            && (now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= Window
            && StandardWebhooks(secret, headers[IdHeader].ToString(), seconds, body) is { } expected)
            return signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(s => SameText(s, expected));
        return false;
    }

    public static string PagerDuty(string secret, byte[] body) =>
        "v1=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));

    /// <summary>Null when the secret is not a whsec_ key, or the call has no id.</summary>
    public static string? StandardWebhooks(string secret, string id, long timestamp, byte[] body)
    {
        if (id.Length == 0 || !secret.StartsWith("whsec_", StringComparison.Ordinal))
            return null;
        byte[] key;
        try
        {
            key = Convert.FromBase64String(secret["whsec_".Length..]);
        }
        catch (FormatException)
        {
            return null;
        }
        var signed = Encoding.UTF8.GetBytes($"{id}.{timestamp.ToString(CultureInfo.InvariantCulture)}.").Concat(body).ToArray();
        return "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, signed));
    }

    // Hashing first makes the comparison constant-time whatever the lengths.
    private static bool SameText(string presented, string expected) => CryptographicOperations.FixedTimeEquals(
        SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
}
