namespace ChatOps.Sandbox;

// The two calls a GitHub App makes before it can act: find its installation on the repository, and buy an
// installation token with its JWT. Both take the JWT, never a token (the gate lets them through unauthenticated).
internal static class GitHubAppEndpoints
{
    private const string Docs = "https://docs.github.com/rest/apps/apps";

    public static bool TakesJwt(PathString path) =>
        path.StartsWithSegments("/github/app") || (path.StartsWithSegments("/github/repos") && path.Value!.EndsWith("/installation", StringComparison.Ordinal));

    public static void MapGitHubApp(this WebApplication app, RouteGroupBuilder repoGroup, GitHubAccess access, SandboxOptions options)
    {
        repoGroup.MapGet("/installation", (HttpRequest request) =>
            Refused(request, access, options) ?? SandboxJson.Json(Installation(access, options)));

        app.MapPost("/github/app/installations/{id:long}/access_tokens", (long id, HttpRequest request) =>
        {
            if (Refused(request, access, options) is { } refused)
                return refused;
            if (id != options.GitHubInstallationId)
                return GitHubErrors.NotFound($"{Docs}#create-an-installation-access-token-for-an-app");
            var token = access.IssueInstallationToken(out var expiresAt);
            return SandboxJson.Json(new
            {
                token,
                expires_at = SandboxJson.Iso(expiresAt),
                permissions = access.AppPermissions,
                repository_selection = "selected",
            }, StatusCodes.Status201Created);
        });
    }

    private static IResult? Refused(HttpRequest request, GitHubAccess access, SandboxOptions options) =>
        GitHubAppJwt.Problem(request.Headers.Authorization.ToString(), options, access.Time.GetUtcNow()) is { } problem
            ? GitHubErrors.Error(401, problem, Docs)
            : null;

    private static object Installation(GitHubAccess access, SandboxOptions options) => new
    {
        id = options.GitHubInstallationId,
        app_id = options.GitHubAppId,
        account = new { login = options.Repository.Split('/')[0] },
        repository_selection = "selected",
        permissions = access.AppPermissions,
        access_tokens_url = $"/app/installations/{options.GitHubInstallationId}/access_tokens",
    };
}
