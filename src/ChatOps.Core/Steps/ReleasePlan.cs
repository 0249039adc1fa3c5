using System.Security.Cryptography;
using System.Text;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>One service's image in a plan, with the digest the registry held for it when the plan was made, where it reported one.</summary>
public sealed record PlannedImage(string Service, string Image, string? Digest = null);

/// <summary>
/// What an approval approves: the commit behind the tag, the image of every service (with its digest, so a tag
/// re-pushed after the approval is a different plan) and the migrations that will run. The approval stores its
/// hash; a different plan at Migrate voids it.
/// </summary>
public sealed record ReleasePlan(string Tag, string Sha, IReadOnlyList<PlannedImage> Images, IReadOnlyList<MigrationRevision> Migrations)
{
    public string Hash()
    {
        var text = new StringBuilder().Append(Tag).Append('\n').Append(Sha).Append('\n');
        foreach (var image in Images.OrderBy(i => i.Service, StringComparer.Ordinal))
        {
            text.Append(image.Service).Append('=').Append(image.Image);
            // Without a digest the line is what it was before digests were bound, so approvals given then still hold.
            if (image.Digest is not null)
                text.Append(" digest=").Append(image.Digest);
            text.Append('\n');
        }
        foreach (var migration in Migrations)
            text.Append(migration.Revision).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The digest of each service whose registry reported one: what the approval recorded beside its hash.</summary>
    public Dictionary<string, string> Digests() =>
        Images.Where(i => i.Digest is not null).ToDictionary(i => i.Service, i => i.Digest!, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The images whose tag now points at another digest than the one recorded when the plan was shown, said as
    /// "registry.fly.io/api:v2 (sha256:aaaaaaaaaaaa → sha256:bbbbbbbbbbbb)".
    /// </summary>
    public IReadOnlyList<string> ImagesChangedSince(IReadOnlyDictionary<string, string> shown) =>
        [.. Images.Where(i => shown.TryGetValue(i.Service, out var before) && before != i.Digest)
            .Select(i => $"{i.Image} ({Short(shown[i.Service])} → {(i.Digest is null ? "no digest" : Short(i.Digest))})")];

    private static string Short(string digest) => digest.Length > 19 ? digest[..19] : digest;
}
