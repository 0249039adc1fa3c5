using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Host.Doctor;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.GitHub;

/// <summary>The repository is reachable, the token may push (tags, CHANGELOG.md) and read the branch's checks.</summary>
internal sealed class GitHubDoctor(IHttpClientFactory httpClients, IOptions<GitHubOptions> options, ISourceControl sourceControl) : IDoctorChecks
{
    public string Name => "GitHub";

    public string GeneralFix => "check GitHub:ApiBaseUrl and that api.github.com is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        var name = $"GitHub repository {o.Repository}";
        var api = new GitHubApi(httpClients, o);
        using var client = api.Open();
        JsonObject repo;
        try
        {
            repo = await api.Repo(client).CallJsonAsync<JsonObject>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);
        }
        catch (OutsideCallException e)
        {
            return [DoctorCheck.Problem(name, $"not reachable: {DoctorText.Why(e)}.",
                "check GitHub:Repository (owner/name) and that GITHUB_TOKEN can see it (fine-grained token: select this repository; contents write, checks and statuses read, deployments).")];
        }
        var rows = new List<DoctorCheck>();
        rows.Add(repo["permissions"]?["push"]?.GetValue<bool>() switch
        {
            true => DoctorCheck.Pass(name, "reachable; the token may push (create tags, write CHANGELOG.md)."),
            false => DoctorCheck.Problem(name, "reachable, but the token may not push: creating the tag and CHANGELOG.md will fail.",
                "give GITHUB_TOKEN contents: write (fine-grained) or repo scope (classic), then fly secrets set GITHUB_TOKEN=…"),
            null => DoctorCheck.Pass(name, "reachable; the API does not reveal this token's permissions (an app token): tag creation is tried at the first release."),
        });
        try
        {
            var sha = await sourceControl.GetHeadShaAsync(cancellationToken);
            var checks = await sourceControl.GetChecksAsync(sha, cancellationToken);
            rows.Add(DoctorCheck.Pass($"GitHub checks of {o.Branch}", $"head {sha[..Math.Min(7, sha.Length)]}, {checks.Count} check runs readable."));
        }
        catch (OutsideCallException e)
        {
            rows.Add(DoctorCheck.Problem($"GitHub checks of {o.Branch}", $"cannot read the branch or its checks: {DoctorText.Why(e)}.",
                "check GitHub:Branch, and give GITHUB_TOKEN checks: read and commit statuses: read."));
        }
        return rows;
    }
}
