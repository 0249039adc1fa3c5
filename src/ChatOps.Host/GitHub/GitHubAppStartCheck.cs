using ChatOps.Host.Hosting;
using ChatOps.Host.Http;

namespace ChatOps.Host.GitHub;

// At start-up, before the first release could fail on it: a GitHub App whose key GitHub refuses (401) or that is not
// installed on the repository (404) stops the bot with one line. GitHub not answering now is only logged: the first
// release's Preflight meets it again, and the doctor says more.
internal sealed class GitHubAppStartCheck(IGitHubCredential credential, ILogger<GitHubAppStartCheck> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await credential.BearerAsync(cancellationToken);
        }
        catch (OutsideCallException e) when (e.StatusCode is 401 or 404)
        {
            throw new StartupRefusedException(e.Message);
        }
        catch (OutsideCallException e)
        {
            log.LogWarning("GitHub did not give the app an installation token at start-up: {Reason}", e.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
