using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// What every GitHub call shares: the authenticated client on the pooled, resilient handler, and the repository's URL.
internal sealed class GitHubApi(IHttpClientFactory httpClients, GitHubOptions options)
{
    public const string SystemName = "GitHub";

    private string? _repositoryPage;

    public GitHubOptions Options { get; } = options;

    /// <summary>
    /// The page of a tag. GitHub's API names no page for a tag (only for a release made from it, which is the same
    /// address), so it is made here, and only here, from the repository's <c>html_url</c>, asked once. A link is a
    /// courtesy: when GitHub does not answer, there is none.
    /// </summary>
    public async Task<string?> TagPageAsync(IFlurlClient client, string tag, CancellationToken cancellationToken)
    {
        try
        {
            _repositoryPage ??= (await Repo(client).CallJsonAsync<Repository>(SystemName, HttpMethod.Get, null, cancellationToken)).HtmlUrl;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }

        return _repositoryPage is { } page ? $"{page.TrimEnd('/')}/releases/tag/{Uri.EscapeDataString(tag)}" : null;
    }

    public IFlurlClient Open()
    {
        var client = httpClients.CreateFlurlClient(GitHubClient.HttpClientName, Options.ApiBaseUrl, OutsideCalls.SnakeCaseJson);
        // The bearer is set per attempt by GitHubAuthentication (a token, or the app's installation token).
        client.WithHeader("Accept", "application/vnd.github+json")
            .WithHeader("X-GitHub-Api-Version", "2022-11-28")
            .WithHeader("User-Agent", "chatops-release-bot/1.0");
        return client;
    }

    // Segments are escaped one by one; a ref such as `tags/v1.2.3` keeps its slash as the API expects.
    public IFlurlRequest Repo(IFlurlClient client, params string[] segments) =>
        client.Request("repos", Options.Owner, Options.Name).AppendPathSegments(segments);
}
