using System.Security.Cryptography;
using System.Text;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// What an approval approves: the commit behind the tag, the image of every service and the
/// migrations that will run. The approval stores its hash; a different plan at Migrate voids it.
/// </summary>
public sealed record ReleasePlan(string Tag, string Sha, IReadOnlyList<(string Service, string Image)> Images, IReadOnlyList<MigrationRevision> Migrations)
{
    public string Hash()
    {
        var text = new StringBuilder().Append(Tag).Append('\n').Append(Sha).Append('\n');
        foreach (var (service, image) in Images.OrderBy(i => i.Service, StringComparer.Ordinal))
            text.Append(service).Append('=').Append(image).Append('\n');
        foreach (var migration in Migrations)
            text.Append(migration.Revision).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
