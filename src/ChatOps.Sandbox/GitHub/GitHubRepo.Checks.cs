namespace ChatOps.Sandbox;

public sealed partial class GitHubRepo
{
    internal IReadOnlyList<CheckRun> CheckRuns(string sha, bool latestOnly)
    {
        lock (_gate)
        {
            var runs = _checkRuns.Where(r => r.HeadSha == sha);
            return latestOnly
                ? [.. runs.GroupBy(r => r.Name).Select(g => g.MaxBy(r => r.Id)!).OrderByDescending(r => r.Id)]
                : [.. runs.OrderByDescending(r => r.Id)];
        }
    }

    // Each context once, with its latest status.
    internal IReadOnlyList<CommitStatus> LatestStatuses(string sha)
    {
        lock (_gate)
        {
            return [.. _statuses.Where(s => s.Sha == sha).GroupBy(s => s.Context).Select(g => g.MaxBy(s => s.Id)!).OrderBy(s => s.Id)];
        }
    }

    // GitHub's combined-status rule: no statuses at all reads as pending, which is why an Actions-only repo
    // always shows `pending` with total_count 0.
    internal static string CombinedState(IReadOnlyList<CommitStatus> statuses) =>
        statuses.Count == 0 ? "pending"
        : statuses.Any(s => s.State is "error" or "failure") ? "failure"
        : statuses.Any(s => s.State == "pending") ? "pending"
        : "success";

    // The state of each context a deployment would verify: statuses and latest check runs both count.
    internal IReadOnlyDictionary<string, string> ContextStates(string sha)
    {
        var states = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var run in CheckRuns(sha, latestOnly: true))
        {
            states[run.Name] = run.Status != "completed" ? "pending"
                : run.Conclusion is "success" or "neutral" or "skipped" ? "success"
                : "failure";
        }

        foreach (var status in LatestStatuses(sha))
        {
            states[status.Context] = status.State;
        }

        return states;
    }

    // Tag name → peeled commit sha, for release-note ranges.
    internal IReadOnlyDictionary<string, string> TagCommits()
    {
        lock (_gate)
        {
            return _refs.Where(r => r.Key.StartsWith("refs/tags/", StringComparison.Ordinal))
                .Select(r => (Tag: r.Key["refs/tags/".Length..], Commit: PeelLocked(r.Value)))
                .Where(t => t.Commit is not null)
                .ToDictionary(t => t.Tag, t => t.Commit!.Sha, StringComparer.Ordinal);
        }
    }
}
