using ChatOps.Host.Hosting;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

// A GitHub App's installation token: bought with the app's JWT, kept until shortly before it expires, then bought
// again. One purchase at a time, however many calls need a token at that moment.
internal sealed class GitHubAppToken(
    IHttpClientFactory httpClients, IOptions<GitHubOptions> options, TimeProvider time, LogSecrets secrets, ILogger<GitHubAppToken> logger)
    : IGitHubCredential, IDisposable
{
    public const string HttpClientName = "GitHubApp";

    // Early enough that a call started just before the refresh (a slow deploy step's last GitHub write) still holds a
    // valid token, and a clock a few minutes off does not matter.
    public static readonly TimeSpan RefreshBefore = TimeSpan.FromMinutes(5);

    private readonly SemaphoreSlim _buying = new(1, 1);
    private Issued? _current;
    private long? _installationId;

    public async ValueTask<string> BearerAsync(CancellationToken cancellationToken)
    {
        if (Fresh(_current) is { } token)
            return token;
        await _buying.WaitAsync(cancellationToken);
        try
        {
            if (Fresh(_current) is { } bought)
                return bought;
            var issued = await BuyAsync(cancellationToken);
            secrets.Add(issued.Token);
            _current = issued;
            logger.LogInformation("GitHub App {AppId}: installation token obtained, valid until {ExpiresAt:u}", options.Value.AppId, issued.ExpiresAt);
            return issued.Token;
        }
        finally
        {
            _buying.Release();
        }
    }

    public void Refused(string bearer)
    {
        // Revoked or expired early (GitHub may end a token before expires_at): the next call buys a new one.
        if (_current?.Token == bearer)
            _current = null;
    }

    public void Dispose() => _buying.Dispose();

    private string? Fresh(Issued? issued) => issued is not null && time.GetUtcNow() < issued.ExpiresAt - RefreshBefore ? issued.Token : null;

    private async Task<Issued> BuyAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        using var key = GitHubAppJwt.ReadKey(o.AppPrivateKey);
        var jwt = GitHubAppJwt.Create(o.AppId, key, time.GetUtcNow());
        using var client = httpClients.CreateFlurlClient(HttpClientName, o.ApiBaseUrl, OutsideCalls.SnakeCaseJson);
        client.WithHeader("Authorization", $"Bearer {jwt}")
            .WithHeader("Accept", "application/vnd.github+json")
            .WithHeader("X-GitHub-Api-Version", "2022-11-28")
            .WithHeader("User-Agent", "chatops-release-bot/1.0");
        try
        {
            _installationId ??= o.AppInstallationId is { } configured ? configured
                : (await client.Request("repos", o.Owner, o.Name, "installation").CallJsonAsync<Installation>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken)).Id;
            var id = _installationId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await client.Request("app", "installations", id, "access_tokens")
                .CallJsonAsync<Issued>(GitHubApi.SystemName, HttpMethod.Post, null, cancellationToken);
        }
        catch (OutsideCallException e) when (e.StatusCode == 401)
        {
            throw new OutsideCallException(
                $"GitHub refused the JWT of app {o.AppId}: {e.Message}. GitHub:AppPrivateKey must be a private key of this app (GitHub:AppId), generated on the app's settings page.",
                401, inner: e);
        }
        catch (OutsideCallException e) when (e.StatusCode == 404)
        {
            throw new OutsideCallException(
                $"GitHub app {o.AppId} is not installed on {o.Repository}{(o.AppInstallationId is { } i ? $" as installation {i}" : "")}: {e.Message}. Install it on the repository, or fix GitHub:AppInstallationId.",
                404, inner: e);
        }
    }

    private sealed record Installation(long Id);

    private sealed record Issued(string Token, DateTimeOffset ExpiresAt);
}
