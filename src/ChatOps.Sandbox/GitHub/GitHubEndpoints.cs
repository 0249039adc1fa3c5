namespace ChatOps.Sandbox;

internal static class GitHubEndpoints
{
    public static void MapGitHub(this WebApplication app, GitHubRepo repo, SandboxOptions options, SandboxFaults faults)
    {
        var gate = new GitHubGate(options, faults);
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

        group.MapGitRefs(repo);
        group.MapCommits(repo);
        group.MapReleases(repo);
        group.MapContents(repo);
        group.MapDeployments(repo);
        app.Map("/github/{**rest}", () => GitHubErrors.NotFound());
    }
}
