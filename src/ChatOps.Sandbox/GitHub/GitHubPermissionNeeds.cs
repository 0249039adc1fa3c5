namespace ChatOps.Sandbox;

internal sealed record GitHubPermissionNeed(string Permission, string Level)
{
    public override string ToString() => $"{Permission}={Level}";
}

// The fine-grained permission each simulated endpoint asks for, after GitHub's "Permissions required for fine-grained
// personal access tokens" page: repository metadata for the repository itself, commit statuses and checks for their
// lists, deployments for deployments, contents for everything git (refs, tags, commits, compare, files, releases).
internal static class GitHubPermissionNeeds
{
    // `rest`: the path after /repos/{owner}/{name}, e.g. "/commits/abc/status".
    public static GitHubPermissionNeed For(string method, string rest)
    {
        var level = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? "read" : "write";
        var segments = rest.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments switch
        {
            [] => new("metadata", "read"),
            ["commits", _, "status" or "statuses"] => new("statuses", level),
            ["commits", _, "check-runs" or "check-suites"] => new("checks", level),
            ["deployments", ..] => new("deployments", level),
            ["actions", ..] => new("actions", level),
            _ => new("contents", level),
        };
    }
}
