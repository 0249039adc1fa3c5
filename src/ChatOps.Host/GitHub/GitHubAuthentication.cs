using System.Net.Http.Headers;

namespace ChatOps.Host.GitHub;

// Where the bearer of every GitHub call comes from: the configured token, or the GitHub App's installation token.
internal interface IGitHubCredential
{
    ValueTask<string> BearerAsync(CancellationToken cancellationToken);

    // GitHub answered 401 to this bearer: a cached one is not offered again.
    void Refused(string bearer);
}

internal sealed class GitHubTokenCredential(string token) : IGitHubCredential
{
    public ValueTask<string> BearerAsync(CancellationToken cancellationToken) => ValueTask.FromResult(token);

    public void Refused(string bearer)
    {
    }
}

// Inside the retry loop, so each attempt asks for the bearer again: a token refreshed meanwhile is the one sent.
internal sealed class GitHubAuthentication(IGitHubCredential credential) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var bearer = await credential.BearerAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized)
            credential.Refused(bearer);
        return response;
    }
}
