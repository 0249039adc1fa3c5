using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

// ISourceControl over GitHub's REST API. Singleton: each operation opens a Flurl client on the pooled handler.
public sealed partial class GitHubClient(IHttpClientFactory httpClients, IOptions<GitHubOptions> options, TimeProvider time) : ISourceControl
{
    public const string HttpClientName = "GitHub";
    private const string SystemName = "GitHub";
    private const int MaxCheckPages = 10;

    private readonly GitHubOptions _options = options.Value;

    public async Task<string> GetHeadShaAsync(CancellationToken cancellationToken)
    {
        using var client = Open();
        var branch = await Repo(client, "branches", _options.Branch).CallJsonAsync<Branch>(SystemName, HttpMethod.Get, null, cancellationToken);
        return branch.Commit.Sha;
    }

    public async Task<IReadOnlyList<CheckResult>> GetChecksAsync(string sha, CancellationToken cancellationToken)
    {
        using var client = Open();
        List<CheckRun> runs = [];
        for (var page = 1; page <= MaxCheckPages; page++)
        {
            var batch = await Repo(client, "commits", sha, "check-runs")
                .SetQueryParams(new { filter = "latest", per_page = 100, page })
                .CallJsonAsync<CheckRunPage>(SystemName, HttpMethod.Get, null, cancellationToken);
            runs.AddRange(batch.CheckRuns);
            if (batch.CheckRuns.Count < 100 || runs.Count >= batch.TotalCount)
            {
                break;
            }
        }

        var combined = await Repo(client, "commits", sha, "status").SetQueryParam("per_page", 100)
            .CallJsonAsync<CombinedStatus>(SystemName, HttpMethod.Get, null, cancellationToken);

        // Several suites can report a check of the same name: the newest run (highest id) is the one that counts.
        var fromRuns = runs.GroupBy(r => r.Name).Select(g => g.MaxBy(r => r.Id)!)
            .Select(r => new CheckResult(r.Name, r.Status, r.Conclusion));
        // A combined `pending` with no statuses only means this repository does not use commit statuses.
        var fromStatuses = combined.TotalCount == 0 ? [] : combined.Statuses.Select(s => s.State == "pending"
            ? new CheckResult(s.Context, "pending", null)
            : new CheckResult(s.Context, "completed", s.State));

        // The same name from both systems: report the one that holds the release back.
        return [.. fromRuns.Concat(fromStatuses)
            .GroupBy(c => c.Name)
            .Select(g => g.FirstOrDefault(c => !c.Passed) ?? g.First())
            .OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    public async Task<IReadOnlyList<string>> GetChangesAsync(string? fromTag, string toTag, CancellationToken cancellationToken)
    {
        using var client = Open();
        if (fromTag is null)
        {
            // No earlier release to compare with: the tagged commit alone describes the release.
            var commit = await Repo(client, "commits", toTag).CallJsonAsync<CommitInfo>(SystemName, HttpMethod.Get, null, cancellationToken);
            return [Subject(commit)];
        }

        // Compare lists commits oldest first, up to 250, which is plenty for one release.
        var comparison = await Repo(client, "compare", $"{fromTag}...{toTag}")
            .CallJsonAsync<Comparison>(SystemName, HttpMethod.Get, null, cancellationToken);
        return [.. comparison.Commits.Select(Subject)];
    }

    private static string Subject(CommitInfo commit) =>
        commit.Commit.Message.Split('\n', 2)[0].Trim();

    private IFlurlClient Open()
    {
        var client = httpClients.CreateFlurlClient(HttpClientName, _options.ApiBaseUrl, OutsideCalls.SnakeCaseJson);
        client.WithHeader("Authorization", $"Bearer {_options.Token}")
            .WithHeader("Accept", "application/vnd.github+json")
            .WithHeader("X-GitHub-Api-Version", "2022-11-28")
            .WithHeader("User-Agent", "chatops-release-bot/1.0");
        return client;
    }

    // Segments are escaped one by one; a ref such as `tags/v1.2.3` keeps its slash as the API expects.
    private IFlurlRequest Repo(IFlurlClient client, params string[] segments) =>
        client.Request("repos", _options.Owner, _options.Name).AppendPathSegments(segments);
}
