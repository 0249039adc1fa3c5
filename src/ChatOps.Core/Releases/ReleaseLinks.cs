using ChatOps.Core.Steps;

namespace ChatOps.Core.Releases;

/// <summary>
/// Web pages of what a release made or met, as the outside systems named them (GitHub's <c>html_url</c>): kept
/// with the release so that the card links them after a restart too. Null where the system gave no page.
/// </summary>
public sealed class ReleaseLinks
{
    public string? Commit { get; set; }

    /// <summary>The tag's page; the release page replaces it on the card once there is one.</summary>
    public string? Tag { get; set; }

    public string? Release { get; set; }

    public string? Changelog { get; set; }

    /// <summary>The required checks that held Preflight back, each with its run's page.</summary>
    public List<NamedLink> FailedChecks { get; set; } = [];
}

public sealed record NamedLink(string Name, string Url);
