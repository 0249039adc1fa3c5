using System.Globalization;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

public sealed partial class GitHubClient
{
    private const int MaxTagDepth = 5;

    public async Task<TagResult> EnsureTagAsync(string tag, string sha, string message, CancellationToken cancellationToken)
    {
        using var client = Open();
        if (await FindTagAsync(client, tag, cancellationToken) is { } existing)
        {
            return Accept(tag, sha, existing);
        }

        // An annotated tag is two writes: the tag object, then the ref that makes it visible. A tag object left
        // without a ref by a crash in between is harmless.
        var tagger = new Tagger("ChatOps", "chatops-release-bot@users.noreply.github.com",
            time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        var tagObject = await Repo(client, "git", "tags")
            .CallJsonAsync<GitTag>(SystemName, HttpMethod.Post, new NewTag(tag, message, sha, "commit", tagger), cancellationToken);

        using var response = await Repo(client, "git", "refs")
            .SendAsync(SystemName, HttpMethod.Post, new NewRef($"refs/tags/{tag}", tagObject.Sha), cancellationToken, 422);
        if (response.StatusCode != 422)
        {
            return new TagResult(tagObject.Sha, Created: true);
        }

        // Usually our own earlier attempt whose answer was lost; anything else is a real validation error.
        var error = await OutsideCallException.FromResponseAsync(SystemName, response);
        if (!error.Message.Contains("Reference already exists", StringComparison.Ordinal)
            || await FindTagAsync(client, tag, cancellationToken) is not { } raced)
        {
            throw error;
        }

        return Accept(tag, sha, raced);
    }

    public async Task<string?> GetTagCommitAsync(string tag, CancellationToken cancellationToken)
    {
        using var client = Open();
        return (await FindTagAsync(client, tag, cancellationToken))?.CommitSha;
    }

    private static TagResult Accept(string tag, string wantedSha, FoundTag existing) =>
        existing.CommitSha == wantedSha
            ? new TagResult(existing.RefSha, Created: false)
            : throw new TagConflictException(tag, existing.CommitSha, wantedSha);

    // The ref, then tag objects peeled until a commit: an annotated tag's ref names the tag object, not the commit.
    private async Task<FoundTag?> FindTagAsync(IFlurlClient client, string tag, CancellationToken cancellationToken)
    {
        using var response = await Repo(client, "git", "ref", $"tags/{tag}").SendAsync(SystemName, HttpMethod.Get, null, cancellationToken, 404);
        if (response.StatusCode == 404)
        {
            return null;
        }

        var gitRef = await response.ReadJsonAsync<GitRef>(SystemName);
        var target = gitRef.Object;
        for (var depth = 0; target.Type == "tag"; depth++)
        {
            if (depth == MaxTagDepth)
            {
                throw new InvalidOperationException($"Tag {tag} points through more than {MaxTagDepth} tag objects; resolve it by hand.");
            }

            target = (await Repo(client, "git", "tags", target.Sha).CallJsonAsync<GitTag>(SystemName, HttpMethod.Get, null, cancellationToken)).Object;
        }

        return new FoundTag(gitRef.Object.Sha, target.Sha);
    }

    private sealed record FoundTag(string RefSha, string CommitSha);
}
