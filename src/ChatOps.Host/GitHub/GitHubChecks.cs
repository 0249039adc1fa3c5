using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// Preflight's questions: which commit heads the release branch, and did its checks pass?
internal sealed class GitHubChecks(GitHubApi api)
{
    private const int MaxCheckPages = 10;

    public async Task<string> GetHeadShaAsync(CancellationToken cancellationToken)
    {
        using var client = api.Open();
        var branch = await api.Repo(client, "branches", api.Options.Branch).CallJsonAsync<Branch>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);
        return branch.Commit.Sha;
    }

    public async Task<string?> GetCommitUrlAsync(string sha, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        var commit = await api.Repo(client, "commits", sha).CallJsonAsync<CommitInfo>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);
        return commit.HtmlUrl;
    }

    public async Task<IReadOnlyList<CheckResult>> GetChecksAsync(string sha, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        List<CheckRun> runs = [];
        for (var page = 1; page <= MaxCheckPages; page++)
        {
            var batch = await api.Repo(client, "commits", sha, "check-runs")
                .SetQueryParams(new { filter = "latest", per_page = 100, page })
                .CallJsonAsync<CheckRunPage>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);
            runs.AddRange(batch.CheckRuns);
            if (batch.CheckRuns.Count < 100 || runs.Count >= batch.TotalCount)
            {
                break;
            }
        }

        var combined = await api.Repo(client, "commits", sha, "status").SetQueryParam("per_page", 100)
            .CallJsonAsync<CombinedStatus>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);

        // Several suites can report a check of the same name: the newest run (highest id) is the one that counts.
        var fromRuns = runs.GroupBy(r => r.Name).Select(g => g.MaxBy(r => r.Id)!)
            .Select(r => new CheckResult(r.Name, r.Status, r.Conclusion, r.HtmlUrl));
        // A combined `pending` with no statuses only means this repository does not use commit statuses.
        var fromStatuses = combined.TotalCount == 0 ? [] : combined.Statuses.Select(s => s.State == "pending"
            ? new CheckResult(s.Context, "pending", null, s.TargetUrl)
            : new CheckResult(s.Context, "completed", s.State, s.TargetUrl));

        // The same name from both systems: report the one that holds the release back.
        return [.. fromRuns.Concat(fromStatuses)
            .GroupBy(c => c.Name)
            .Select(g => g.FirstOrDefault(c => !c.Passed) ?? g.First())
            .OrderBy(c => c.Name, StringComparer.Ordinal)];
    }
}
