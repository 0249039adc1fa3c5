using System.Globalization;
using System.Text.RegularExpressions;

namespace ChatOps.Sandbox;

// Which migration files an image holds: the image built from tag T has every revision committed by T.
public static partial class ImageRevisions
{
    // An image whose tag is not a release version (a deployment-… tag, a digest we cannot trace back, no tag at all)
    // was built from an unknown commit; the simulator then gives it every revision rather than guess.
    // A revision with no `since` is not released yet: only images newer than the first release hold it.
    public static bool Knows(string? imageTag, string? since, string initialTag)
    {
        if (Parse(imageTag) is not { } image)
        {
            return true;
        }

        if (since is null)
        {
            return Parse(initialTag) is not { } initial || image.CompareTo(initial) > 0;
        }

        return Parse(since) is not { } introduced || image.CompareTo(introduced) >= 0;
    }

    // vX.Y.Z compared numerically (v1.10.0 is newer than v1.9.0); null for anything else.
    public static Version? Parse(string? tag)
    {
        if (tag is null || VersionTag().Match(tag) is not { Success: true } match)
        {
            return null;
        }

        return new Version(Number(match.Groups[1].Value), Number(match.Groups[2].Value), Number(match.Groups[3].Value));
    }

    private static int Number(string digits) => int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^v(\d{1,9})\.(\d{1,9})\.(\d{1,9})$")]
    private static partial Regex VersionTag();
}
