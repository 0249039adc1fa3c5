using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Sandbox;

internal static class FlyIds
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly string[] Adjectives = ["aged", "billowing", "crimson", "damp", "empty", "falling", "gentle", "hidden"];
    private static readonly string[] Nouns = ["wind", "field", "dust", "river", "sun", "leaf", "brook", "snow"];

    public static string MachineId() => SandboxJson.RandomHex(14);

    public static string MachineName() =>
        $"{Adjectives[RandomNumberGenerator.GetInt32(Adjectives.Length)]}-{Nouns[RandomNumberGenerator.GetInt32(Nouns.Length)]}-{RandomNumberGenerator.GetInt32(1000, 9999)}";

    // A ULID: 10 characters of millisecond time, then 16 random ones, Crockford base32.
    public static string Ulid()
    {
        var sb = new StringBuilder(26);
        var time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 9; i >= 0; i--)
        {
            sb.Append(Crockford[(int)((time >> (i * 5)) & 31)]);
        }

        sb.Append(RandomNumberGenerator.GetString(Crockford, 16));
        return sb.ToString();
    }

    public static string VolumeId() => "vol_" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 16);

    public static string SnapshotId() => "vs_" + SandboxJson.RandomAlphanumeric(25);

    public static string Nonce() => SandboxJson.RandomHex(12);

    public static string PrivateIp() => $"fdaa:0:18:a7b:{SandboxJson.RandomHex(3)}:{SandboxJson.RandomHex(4)}:{SandboxJson.RandomHex(4)}:2";
}

// `registry/repository[:tag][@digest]`, parsed the way flyd fills `image_ref`.
internal sealed record ImageRef(string Registry, string Repository, string Tag, string Digest)
{
    public static ImageRef Parse(string image)
    {
        var digest = "";
        var at = image.IndexOf('@', StringComparison.Ordinal);
        var name = image;
        if (at >= 0)
        {
            digest = image[(at + 1)..];
            name = image[..at];
        }

        var slash = name.IndexOf('/', StringComparison.Ordinal);
        var registry = "docker.io";
        if (slash > 0 && (name[..slash].Contains('.') || name[..slash].Contains(':')))
        {
            registry = name[..slash];
            name = name[(slash + 1)..];
        }

        var colon = name.LastIndexOf(':');
        var tag = colon >= 0 ? name[(colon + 1)..] : "";
        var repository = colon >= 0 ? name[..colon] : name;
        if (digest.Length == 0)
        {
            digest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(image)));
        }

        return new ImageRef(registry, repository, tag, digest);
    }
}
