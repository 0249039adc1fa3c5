using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// The Document step's GitHub release: one per tag, published once however often the step runs.
internal sealed class GitHubReleases(GitHubApi api)
{
    public async Task<string?> EnsureReleaseAsync(string tag, string notes, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        if (await FindAsync(client, tag, cancellationToken) is { } existing)
        {
            return existing.HtmlUrl;
        }

        using var response = await api.Repo(client, "releases")
            .SendAsync(GitHubApi.SystemName, HttpMethod.Post, new NewRelease(tag, tag, notes), cancellationToken, 422);
        if (response.StatusCode != 422)
        {
            return (await response.ReadJsonAsync<PublishedRelease>(GitHubApi.SystemName)).HtmlUrl;
        }

        // Another instance (or our own lost answer) published it in between; any other 422 is a real validation error.
        var error = await OutsideCallException.FromResponseAsync(GitHubApi.SystemName, response);
        return await FindAsync(client, tag, cancellationToken) is { } raced ? raced.HtmlUrl : throw error;
    }

    private async Task<PublishedRelease?> FindAsync(IFlurlClient client, string tag, CancellationToken cancellationToken)
    {
        using var response = await api.Repo(client, "releases", "tags", tag).SendAsync(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken, 404);
        return response.StatusCode == 404 ? null : await response.ReadJsonAsync<PublishedRelease>(GitHubApi.SystemName);
    }
}
