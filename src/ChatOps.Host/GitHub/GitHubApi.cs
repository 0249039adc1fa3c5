using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// What every GitHub call shares: the authenticated client on the pooled, resilient handler, and the repository's URL.
internal sealed class GitHubApi(IHttpClientFactory httpClients, GitHubOptions options)
{
    public const string SystemName = "GitHub";

    public GitHubOptions Options { get; } = options;

    public IFlurlClient Open()
    {
        var client = httpClients.CreateFlurlClient(GitHubClient.HttpClientName, Options.ApiBaseUrl, OutsideCalls.SnakeCaseJson);
        client.WithHeader("Authorization", $"Bearer {Options.Token}")
            .WithHeader("Accept", "application/vnd.github+json")
            .WithHeader("X-GitHub-Api-Version", "2022-11-28")
            .WithHeader("User-Agent", "chatops-release-bot/1.0");
        return client;
    }

    // Segments are escaped one by one; a ref such as `tags/v1.2.3` keeps its slash as the API expects.
    public IFlurlRequest Repo(IFlurlClient client, params string[] segments) =>
        client.Request("repos", Options.Owner, Options.Name).AppendPathSegments(segments);
}
