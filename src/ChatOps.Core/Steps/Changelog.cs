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

    /// <summary>The tag's section in the file: its heading line (without "## ") and the lines under it, or null.</summary>
    public static (string Heading, string Body)? SectionOf(string? text, string tag)
    {
        var lines = (text ?? "").Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith($"## {tag} ", StringComparison.Ordinal) || l.TrimEnd() == $"## {tag}");
        if (start < 0)
            return null;
        var end = Array.FindIndex(lines, start + 1, l => l.StartsWith("## ", StringComparison.Ordinal));
        var body = string.Join('\n', lines[(start + 1)..(end < 0 ? lines.Length : end)]).Trim('\n', ' ');
        return (lines[start][3..].TrimEnd(), body);
    }

    /// <summary>
    /// The fragment GitHub gives a Markdown heading: lower case, punctuation other than '-' and '_' dropped, spaces
    /// turned into '-'. GitHub's API names the file's page but not its headings' anchors, so this one is made here.
    /// </summary>
    public static string Anchor(string heading) =>
        string.Concat(heading.Trim().ToLowerInvariant().Where(c => char.IsLetterOrDigit(c) || c is '-' or '_' or ' ').Select(c => c == ' ' ? '-' : c));
}
