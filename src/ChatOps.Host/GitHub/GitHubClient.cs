using ChatOps.Core.Ports;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

// ISourceControl over GitHub's REST API, one role per runbook step: Preflight's checks, Tag's tags, Document's changelog and release.
// Singleton: each operation opens a Flurl client on the pooled handler.
public sealed class GitHubClient : ISourceControl
{
    public const string HttpClientName = "GitHub";

    private readonly GitHubChecks _checks;
    private readonly GitHubTags _tags;
    private readonly GitHubChangelog _changelog;
    private readonly GitHubReleases _releases;

    public GitHubClient(IHttpClientFactory httpClients, IOptions<GitHubOptions> options, TimeProvider time)
    {
        var api = new GitHubApi(httpClients, options.Value);
        _checks = new GitHubChecks(api);
        _tags = new GitHubTags(api, time);
        _changelog = new GitHubChangelog(api);
        _releases = new GitHubReleases(api);
    }

    public Task<string> GetHeadShaAsync(CancellationToken cancellationToken) => _checks.GetHeadShaAsync(cancellationToken);

    public Task<string?> GetCommitUrlAsync(string sha, CancellationToken cancellationToken) => _checks.GetCommitUrlAsync(sha, cancellationToken);

    public Task<IReadOnlyList<CheckResult>> GetChecksAsync(string sha, CancellationToken cancellationToken) => _checks.GetChecksAsync(sha, cancellationToken);

    public Task<TagResult> EnsureTagAsync(string tag, string sha, string message, CancellationToken cancellationToken) =>
        _tags.EnsureTagAsync(tag, sha, message, cancellationToken);

    public Task<string?> GetTagCommitAsync(string tag, CancellationToken cancellationToken) => _tags.GetTagCommitAsync(tag, cancellationToken);

    public Task<IReadOnlyList<string>> GetChangesAsync(string? fromTag, string toTag, CancellationToken cancellationToken) =>
        _changelog.GetChangesAsync(fromTag, toTag, cancellationToken);

    public Task<DateTimeOffset?> GetOldestCommitAtAsync(string? fromTag, string toTag, CancellationToken cancellationToken) =>
        _changelog.GetOldestCommitAtAsync(fromTag, toTag, cancellationToken);

    public Task<FileUpdate> UpdateFileAsync(string path, Func<string?, string?> edit, string message, CancellationToken cancellationToken) =>
        _changelog.UpdateFileAsync(path, edit, message, cancellationToken);

    public Task<string?> EnsureReleaseAsync(string tag, string notes, CancellationToken cancellationToken) =>
        _releases.EnsureReleaseAsync(tag, notes, cancellationToken);
}
