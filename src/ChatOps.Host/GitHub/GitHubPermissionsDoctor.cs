using ChatOps.Core.Ports;
using ChatOps.Host.Doctor;
using ChatOps.Host.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

// The credential works (for an app: its JWT buys an installation token), and it holds every permission the bot's calls
// need, each tried live; a missing one is named with what it is for.
internal sealed class GitHubPermissionsDoctor(
    IHttpClientFactory httpClients, IOptions<GitHubOptions> options, IGitHubCredential credential, ISourceControl sourceControl) : IDoctorChecks
{
    public string Name => "GitHub permissions";

    public string GeneralFix => "check GitHub:ApiBaseUrl and that api.github.com is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var who = o.UsesApp ? $"GitHub App {o.AppId}" : "GitHub token";
        var rows = new List<DoctorCheck>();
        if (o.UsesApp)
        {
            try
            {
                await credential.BearerAsync(cancellationToken);
                rows.Add(DoctorCheck.Pass(who, $"its key is accepted; an installation token for {o.Repository} was obtained."));
            }
            catch (OutsideCallException e)
            {
                return [DoctorCheck.Problem(who, e.Message,
                    "set GITHUB_APP_PRIVATE_KEY to a private key of this app (the app's settings → Private keys → Generate), GitHub:AppId to its id, and install the app on the repository.")];
            }
        }

        string sha;
        try
        {
            sha = await sourceControl.GetHeadShaAsync(cancellationToken);
        }
        catch (OutsideCallException e)
        {
            return [.. rows, DoctorCheck.Problem($"{who} permissions", $"cannot read {o.Repository}'s {o.Branch}: {DoctorText.Why(e)}.",
                "give the token Metadata: read and Contents: write on this repository (docs/github.md).")];
        }

        var api = new GitHubApi(httpClients, o);
        using var client = api.Open();
        foreach (var permission in GitHubPermissions.Needed(o))
        {
            var name = $"{who} permission {permission.Title}";
            rows.Add(await GitHubPermissions.MissingAsync(api, client, permission, sha, cancellationToken) is { } why
                ? DoctorCheck.Problem(name, $"{who} lacks {permission} (needed {permission.NeededFor}): GitHub answered {why}.",
                    o.UsesApp
                        ? $"give the app {permission} in its settings (Permissions & events), then accept the new permissions on the installation."
                        : $"edit the fine-grained token (Settings → Developer settings → Personal access tokens): Repository permissions → {permission}, then fly secrets set GITHUB_TOKEN=… if it was regenerated.")
                : DoctorCheck.Pass(name, $"{permission.Level}, {permission.NeededFor}."));
        }

        return rows;
    }
}
