using System.Security.Cryptography;
using System.Text;
using ChatOps.Sandbox;

namespace ChatOps.Host.Sandbox;

/// <summary>
/// The target app's Alembic project as each release's image holds it: <c>images.txt</c> names the tag that
/// introduced each revision file, and an image built from tag T holds the files of T and older tags. Each tag's copy
/// is built once in the temp directory and reused.
/// </summary>
public sealed class ImageProjects(string projectDirectory, Func<string, string?> tagOf)
{
    private const string Manifest = "images.txt";

    // The project to run for a machine's image; the whole project when the image is not known (empty), is not a
    // release version, or its files are all there anyway.
    public string For(string image)
    {
        if (image.Length == 0)
        {
            return projectDirectory;
        }

        var tag = tagOf(image);
        var versions = Path.Combine(projectDirectory, "migrations", "versions");
        var introduced = Introduced();
        var files = Directory.GetFiles(versions, "*.py").Order(StringComparer.Ordinal).ToList();
        var kept = files.Where(f => ImageRevisions.Knows(tag, introduced.GetValueOrDefault(Revision(f)), "")).ToList();
        return kept.Count == files.Count ? projectDirectory : Build(tag!, kept);
    }

    // A file not listed in images.txt is treated as in every image, like an image the simulator cannot place.
    private Dictionary<string, string> Introduced()
    {
        var path = Path.Combine(projectDirectory, Manifest);
        if (!File.Exists(path))
        {
            return [];
        }

        return File.ReadAllLines(path)
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length >= 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
    }

    private static string Revision(string file) => Path.GetFileName(file).Split('_')[0];

    // Keyed by the files and their contents' timestamps, so editing the project builds a fresh copy. Built beside
    // its final place and renamed into it, so concurrent callers never see a half-built copy: a loser of the race
    // throws its own away and uses the winner's.
    private string Build(string tag, List<string> kept)
    {
        var key = new StringBuilder(projectDirectory);
        var sources = Directory.GetFiles(projectDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains("__pycache__", StringComparison.Ordinal)).Order(StringComparer.Ordinal);
        foreach (var file in sources)
        {
            key.Append('\n').Append(file).Append(' ').Append(File.GetLastWriteTimeUtc(file).Ticks);
        }

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key.ToString())))[..16];
        var target = Path.Combine(Path.GetTempPath(), "chatops-alembic-images", $"{hash}-{tag}");
        if (Directory.Exists(target))
        {
            return target;
        }

        var staging = $"{target}.{Guid.NewGuid():N}.tmp";
        Directory.CreateDirectory(Path.Combine(staging, "migrations", "versions"));
        foreach (var file in Directory.GetFiles(projectDirectory))
        {
            File.Copy(file, Path.Combine(staging, Path.GetFileName(file)));
        }

        foreach (var file in Directory.GetFiles(Path.Combine(projectDirectory, "migrations")))
        {
            File.Copy(file, Path.Combine(staging, "migrations", Path.GetFileName(file)));
        }

        foreach (var file in kept)
        {
            File.Copy(file, Path.Combine(staging, "migrations", "versions", Path.GetFileName(file)));
        }

        try
        {
            Directory.Move(staging, target);
        }
        catch (IOException) when (Directory.Exists(target))
        {
            Directory.Delete(staging, recursive: true);
        }

        return target;
    }
}
