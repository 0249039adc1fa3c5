namespace ChatOps.Sandbox;

internal static class GitHubEndpoints
{
    public static void MapGitHub(this WebApplication app, GitHubRepo repo, GitHubAccess access, SandboxOptions options, SandboxFaults faults)
    {
        var gate = new GitHubGate(access, faults);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/github"), branch => branch.Use(gate.InvokeAsync));

        var group = app.MapGroup("/github/repos/{owner}/{name}");
        // Any other repository is invisible, and GitHub says 404 rather than 403 for what you cannot see.
        group.AddEndpointFilter(async (context, next) =>
        {
            var values = context.HttpContext.Request.RouteValues;
            var fullName = $"{values["owner"]}/{values["name"]}";
            return string.Equals(fullName, repo.FullName, StringComparison.OrdinalIgnoreCase)
                ? await next(context)
                : GitHubErrors.NotFound();
        });

        // The repository itself; authenticated, it says what the caller may do (push: tags and CHANGELOG.md).
        group.MapGet("", () => Results.Json(new
        {
            full_name = repo.FullName,
            default_branch = repo.Branch,
            html_url = repo.HtmlUrl,
            permissions = new { admin = false, maintain = false, push = repo.TokenCanPush, triage = true, pull = true },
        }));
        group.MapGitRefs(repo);
        group.MapCommits(repo);
        group.MapReleases(repo);
        group.MapContents(repo);
        group.MapDeployments(repo);
        app.MapGitHubApp(group, access, options);
        app.Map("/github/{**rest}", () => GitHubErrors.NotFound());
    }
}
