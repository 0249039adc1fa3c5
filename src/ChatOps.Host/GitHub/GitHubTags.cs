using System.Globalization;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// The Tag step: an annotated tag on the release commit, made once however often the step runs.
internal sealed class GitHubTags(GitHubApi api, TimeProvider time)
{
    private const int MaxTagDepth = 5;

    public async Task<TagResult> EnsureTagAsync(string tag, string sha, string message, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        if (await FindTagAsync(client, tag, cancellationToken) is { } existing)
        {
            return Accept(tag, sha, existing) with { HtmlUrl = await api.TagPageAsync(client, tag, cancellationToken) };
        }

        // An annotated tag is two writes: the tag object, then the ref that makes it visible. A tag object left
        // without a ref by a crash in between is harmless.
        var tagger = new Tagger("ChatOps", "chatops-release-bot@users.noreply.github.com",
            time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var tagObject = await api.Repo(client, "git", "tags")
            .CallJsonAsync<GitTag>(GitHubApi.SystemName, HttpMethod.Post, new NewTag(tag, message, sha, "commit", tagger), cancellationToken);

        using var response = await api.Repo(client, "git", "refs")
            .SendAsync(GitHubApi.SystemName, HttpMethod.Post, new NewRef($"refs/tags/{tag}", tagObject.Sha), cancellationToken, 422);
        if (response.StatusCode != 422)
        {
            return new TagResult(tagObject.Sha, Created: true, await api.TagPageAsync(client, tag, cancellationToken));
        }

        // Usually our own earlier attempt whose answer was lost; anything else is a real validation error.
        var error = await OutsideCallException.FromResponseAsync(GitHubApi.SystemName, response);
        if (!error.Message.Contains("Reference already exists", StringComparison.Ordinal)
            || await FindTagAsync(client, tag, cancellationToken) is not { } raced)
        {
            throw error;
        }

        return Accept(tag, sha, raced) with { HtmlUrl = await api.TagPageAsync(client, tag, cancellationToken) };
    }

    public async Task<string?> GetTagCommitAsync(string tag, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        return (await FindTagAsync(client, tag, cancellationToken))?.CommitSha;
    }

    private static TagResult Accept(string tag, string wantedSha, FoundTag existing) =>
        existing.CommitSha == wantedSha
            ? new TagResult(existing.RefSha, Created: false)
            : throw new TagConflictException(tag, existing.CommitSha, wantedSha);

    // The ref, then tag objects peeled until a commit: an annotated tag's ref names the tag object, not the commit.
    private async Task<FoundTag?> FindTagAsync(IFlurlClient client, string tag, CancellationToken cancellationToken)
    {
        using var response = await api.Repo(client, "git", "ref", $"tags/{tag}").SendAsync(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken, 404);
        if (response.StatusCode == 404)
        {
            return null;
        }

        var gitRef = await response.ReadJsonAsync<GitRef>(GitHubApi.SystemName);
        var target = gitRef.Object;
        for (var depth = 0; target.Type == "tag"; depth++)
        {
            if (depth == MaxTagDepth)
            {
                throw new InvalidOperationException($"Tag {tag} points through more than {MaxTagDepth} tag objects; resolve it by hand.");
            }

            target = (await api.Repo(client, "git", "tags", target.Sha).CallJsonAsync<GitTag>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken)).Object;
        }

        return new FoundTag(gitRef.Object.Sha, target.Sha);
    }

    private sealed record FoundTag(string RefSha, string CommitSha);
}
