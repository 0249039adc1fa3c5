using System.Security.Cryptography;

namespace ChatOps.Core.Runner;

/// <summary>Opaque button tokens: 128 random bits in 22 URL-safe characters, well under Telegram's 64 bytes.</summary>
public static class Tokens
{
    public static string New() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
