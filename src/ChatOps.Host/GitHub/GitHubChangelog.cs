using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// The Document step: the commits since the previous tag, and the CHANGELOG.md they are written into.
internal sealed class GitHubChangelog(GitHubApi api)
{
    // A 409 means someone committed the file since we read it: read again, re-apply the edit, try again.
    private const int MaxStaleWrites = 3;

    public async Task<IReadOnlyList<string>> GetChangesAsync(string? fromTag, string toTag, CancellationToken cancellationToken) =>
        [.. (await CommitsAsync(fromTag, toTag, cancellationToken)).Select(Subject)];

    // Lead time starts at the oldest commit the release brings; committer dates, as a rebase or merge makes them.
    public async Task<DateTimeOffset?> GetOldestCommitAtAsync(string? fromTag, string toTag, CancellationToken cancellationToken) =>
        (await CommitsAsync(fromTag, toTag, cancellationToken)).Select(c => c.Commit.Committer?.Date).Where(d => d is not null).Min();

    private async Task<IReadOnlyList<CommitInfo>> CommitsAsync(string? fromTag, string toTag, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        if (fromTag is null)
        {
            // No earlier release to compare with: the tagged commit alone describes the release.
            return [await api.Repo(client, "commits", toTag).CallJsonAsync<CommitInfo>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken)];
        }

        // Compare lists commits oldest first, up to 250, which is plenty for one release.
        var comparison = await api.Repo(client, "compare", $"{fromTag}...{toTag}")
            .CallJsonAsync<Comparison>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);
        return comparison.Commits;
    }

    public async Task<FileUpdate> UpdateFileAsync(string path, Func<string?, string?> edit, string message, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        for (var attempt = 0; ; attempt++)
        {
            var (text, blobSha, page) = await ReadFileAsync(client, path, cancellationToken);
            var edited = edit(text);
            if (edited is null || edited == text)
            {
                return new FileUpdate(false, null, page);
            }

            var body = new FileWrite(message, Convert.ToBase64String(Encoding.UTF8.GetBytes(edited)), blobSha, api.Options.Branch);
            using var response = await api.Repo(client, "contents", path).SendAsync(GitHubApi.SystemName, HttpMethod.Put, body, cancellationToken, 409);
            if (response.StatusCode != 409)
            {
                var written = await response.ReadJsonAsync<ContentWrite>(GitHubApi.SystemName);
                return new FileUpdate(true, written.Commit.Sha, written.Content?.HtmlUrl);
            }

            if (attempt == MaxStaleWrites)
            {
                throw await OutsideCallException.FromResponseAsync(GitHubApi.SystemName, response);
            }
        }
    }

    private async Task<(string? Text, string? BlobSha, string? HtmlUrl)> ReadFileAsync(IFlurlClient client, string path, CancellationToken cancellationToken)
    {
        using var response = await api.Repo(client, "contents", path).SetQueryParam("ref", api.Options.Branch)
            .SendAsync(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken, 404);
        if (response.StatusCode == 404)
        {
            return (null, null, null);
        }

        var file = await response.ReadJsonAsync<ContentFile>(GitHubApi.SystemName);
        if (file.Type != "file" || file.Encoding != "base64" || file.Content is null)
        {
            // Directories, and files over 1 MB (encoding "none"), cannot be edited through this endpoint.
            throw new InvalidOperationException($"GitHub cannot hand out {path} on {api.Options.Branch} as a base64 file (type {file.Type}, encoding {file.Encoding}).");
        }

        // GitHub wraps the base64 every 60 characters; .NET's decoder rejects the line breaks.
        var base64 = string.Concat(file.Content.Where(c => !char.IsWhiteSpace(c)));
        return (Encoding.UTF8.GetString(Convert.FromBase64String(base64)), file.Sha, file.HtmlUrl);
    }

    private static string Subject(CommitInfo commit) =>
        commit.Commit.Message.Split('\n', 2)[0].Trim();
}
