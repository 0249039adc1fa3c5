using ChatOps.Core.Releases;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Cards;

/// <summary>
/// The few pages worth opening from a card at 3 a.m.: what failed, the commit, the release (or its tag), the
/// changelog and each Fly app touched. GitHub's pages are the ones its API named; Fly's are made here.
/// </summary>
public static class CardLinks
{
    private const int MaxFailedChecks = 3;

    public static IReadOnlyList<CardLink> Of(Release release)
    {
        var links = release.Outputs.Links;
        var list = new List<CardLink>();
        if (release.State == ReleaseState.Failed && release.StoppedAt == ReleaseState.Preflight)
            list.AddRange(links.FailedChecks.Take(MaxFailedChecks).Select(c => new CardLink($"check {c.Name}", c.Url)));
        if (links.Commit is { } commit && release.Outputs.HeadSha is { } sha)
            list.Add(new CardLink($"commit {PreflightStep.Short(sha)}", commit));
        if (links.Release is { } page)
            list.Add(new CardLink($"release {release.Tag}", page));
        else if (links.Tag is { } tag)
            list.Add(new CardLink($"tag {release.Tag}", tag));
        if (links.Changelog is { } changelog)
            list.Add(new CardLink("changelog", changelog));
        list.AddRange(release.Outputs.Machines.Select(m => m.App).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal)
            .Select(app => new CardLink($"fly {app}", FlyDashboard(app))));
        return list.Where(l => IsWebPage(l.Url)).ToList();
    }

    // Addresses come from outside answers: only web pages become links, never another scheme.
    private static bool IsWebPage(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    /// <summary>
    /// An app's page on Fly's dashboard. The Machines API answers with machines, never with a page, so this is the
    /// one place the address is made from the app's name.
    /// </summary>
    public static string FlyDashboard(string app) => $"https://fly.io/apps/{Uri.EscapeDataString(app)}";
}
