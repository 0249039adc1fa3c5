using ChatOps.Core.Releases;
using ChatOps.Sandbox;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// The outside world's record (the simulators' mutation log) held against the releases: each change a release makes
/// outside happened once if the release did that step, and never twice. Tags are unique per release, so every
/// count belongs to exactly one release.
/// </summary>
public static class MutationLedger
{
    /// <summary>Every way a release's outside changes went wrong, one line each; empty when all is well.</summary>
    /// <param name="changelog">The sandbox repository's CHANGELOG.md: the Document step's one change on GitHub is a section per tag.</param>
    /// <param name="orphanTagObjects">
    /// True where a process may die between an annotated tag's two writes (the kill suite): the tag object written
    /// before the kill is left without a ref and another is written on the retry. GitHubTags accepts that as harmless
    /// (nothing points at it); the ref, what everyone sees, must still be made once. Faults come before any work, so
    /// the fault suite allows none.
    /// </param>
    public static IReadOnlyList<string> Problems(IReadOnlyList<Release> releases, MutationLog log, IReadOnlyDictionary<string, string[]> apps, FlyCloud fly, string? changelog,
        bool orphanTagObjects = false)
    {
        var entries = log.Entries;
        var sections = (changelog ?? "").Split('\n');
        int Count(string entry) => entries.Count(e => e == entry);
        // A deploy pins the approved digest after the tag: …:v1.2.0@sha256:….
        int Deployed(string entry) => entries.Count(e => e == entry || e.StartsWith(entry + "@", StringComparison.Ordinal));
        var problems = new List<string>();
        void Expect(Release release, string what, int count, bool done)
        {
            if (count > 1 || (done && count != 1))
                problems.Add($"#{release.Id} {release.Tag} → {release.Environment} ({release.State}): {what} happened {count} times");
        }

        foreach (var release in releases.Where(r => r.Kind == ReleaseKind.Release))
        {
            bool Done(ReleaseState step) => release.Steps.FirstOrDefault(s => s.Name == step.ToString())?.Status == StepStatus.Done;
            var tagObjects = Count($"github.tag-object:{release.Tag}");
            Expect(release, "the tag object", orphanTagObjects ? Math.Min(tagObjects, 1) : tagObjects, Done(ReleaseState.Tag));
            Expect(release, "the tag ref", Count($"github.ref:refs/tags/{release.Tag}"), Done(ReleaseState.Tag));
            Expect(release, "the changelog section", sections.Count(l => l.StartsWith($"## {release.Tag} ", StringComparison.Ordinal)), Done(ReleaseState.Document));
            foreach (var app in apps[release.Environment])
            {
                foreach (var machine in fly.Machines(app))
                    Expect(release, $"the update of machine {machine.Id} ({app})", Deployed($"fly.update:{machine.Id}:registry.fly.io/{app}:{release.Tag}"), Done(ReleaseState.Deploy));
            }
        }
        return problems;
    }

    /// <summary>Tag objects written beyond the first for each tag: left without a ref by a process killed between the two writes.</summary>
    public static int OrphanTagObjects(IReadOnlyList<Release> releases, MutationLog log)
    {
        var entries = log.Entries;
        return releases.Sum(r => Math.Max(0, entries.Count(e => e == $"github.tag-object:{r.Tag}") - 1));
    }

    /// <summary>One snapshot per release whose Backup step finished, per environment; none taken twice.</summary>
    public static IReadOnlyList<string> SnapshotProblems(IReadOnlyList<Release> releases, FlyCloud fly, IReadOnlyDictionary<string, int> before)
    {
        var problems = new List<string>();
        foreach (var (environment, app) in before.Keys.Select(app => (Environment: app.EndsWith("-staging", StringComparison.Ordinal) ? "staging" : "production", App: app)))
        {
            var backedUp = releases.Count(r => r.Environment == environment && r.Kind == ReleaseKind.Release
                && r.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.Backup))?.Status == StepStatus.Done);
            var taken = fly.SnapshotCount(app) - before[app];
            if (taken != backedUp)
                problems.Add($"{environment}: {taken} snapshots of {app} for {backedUp} releases that backed up");
        }
        return problems;
    }
}
