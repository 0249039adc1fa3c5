using System.Text.RegularExpressions;

namespace ChatOps.Core.Domain;

/// <summary>A git tag that names a release; valid by construction against the configured pattern.</summary>
public sealed record ReleaseTag
{
    public ReleaseTag(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 100 || value.Any(char.IsWhiteSpace))
            throw new ArgumentException($"'{value}' is not a tag.", nameof(value));
        Value = value;
    }

    public string Value { get; }

    public static bool TryParse(string text, Regex pattern, out ReleaseTag? tag)
    {
        tag = text.Length <= 100 && !text.Any(char.IsWhiteSpace) && Matches(pattern, text) ? new ReleaseTag(text) : null;
        return tag is not null;
    }

    // A configured pattern that backtracks too long on odd input is a "no", never an exception in the parser.
    private static bool Matches(Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }

    public override string ToString() => Value;
}
