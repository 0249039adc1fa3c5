using System.Security.Cryptography;
using System.Text;

namespace ChatOps.Sandbox;

internal static class SeedFiles
{
    public static IReadOnlyDictionary<string, byte[]> Create(SandboxOptions options) => new Dictionary<string, byte[]>
    {
        ["CHANGELOG.md"] = Encoding.UTF8.GetBytes(
            $"# Changelog\n\n## {options.InitialTag} - 2026-07-20\n\n- Add run status endpoint\n- Fix flaky orchestrator retry\n"),
        ["README.md"] = Encoding.UTF8.GetBytes("# myloware\n\nAPI and orchestrator services for MyloWare.\n"),
        ["alembic.ini"] = Encoding.UTF8.GetBytes("[alembic]\nscript_location = migrations\n"),
    };
}

internal static class GitBlob
{
    // Git's blob id: sha1("blob <length>\0" + bytes), the same value `git hash-object` prints.
    public static string Sha(byte[] content)
    {
        var header = Encoding.ASCII.GetBytes($"blob {content.Length}\0");
        return Convert.ToHexStringLower(SHA1.HashData([.. header, .. content]));
    }

    // GitHub wraps the base64 content with a newline every 60 characters and a final newline.
    public static string WrappedBase64(byte[] content)
    {
        var flat = Convert.ToBase64String(content);
        var sb = new StringBuilder(flat.Length + flat.Length / 60 + 1);
        for (var i = 0; i < flat.Length; i += 60)
        {
            sb.Append(flat, i, Math.Min(60, flat.Length - i)).Append('\n');
        }

        return sb.ToString();
    }
}
