using System.Text;

namespace ChatOps.Core.Steps;

/// <summary>Prepends a section for a release to CHANGELOG.md, once.</summary>
public static class Changelog
{
    public const string Path = "CHANGELOG.md";

    /// <summary>The new text, or null when the file already has a section for the tag (idempotent).</summary>
    public static string? Prepend(string? existing, string tag, DateOnly date, IReadOnlyList<string> changes)
    {
        existing ??= "# Changelog\n";
        var heading = $"## {tag} ";
        if (existing.Split('\n').Any(l => l.StartsWith(heading, StringComparison.Ordinal) || l.TrimEnd() == $"## {tag}"))
            return null;

        var section = new StringBuilder();
        section.Append(heading).Append("- ").Append(date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)).Append("\n\n");
        if (changes.Count == 0)
            section.Append("- No changes since the previous release.\n");
        foreach (var change in changes)
            section.Append("- ").Append(change.Split('\n')[0].Trim()).Append('\n');
        section.Append('\n');

        var lines = existing.Split('\n').ToList();
        var insertAt = lines.FindIndex(l => l.StartsWith("## ", StringComparison.Ordinal));
        if (insertAt < 0)
            return existing.TrimEnd('\n') + "\n\n" + section.ToString().TrimEnd('\n') + "\n";
        lines.Insert(insertAt, section.ToString().TrimEnd('\n') + "\n");
        return string.Join('\n', lines);
    }
}
