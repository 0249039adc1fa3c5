using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// A fine-grained permission the bot needs: GitHub's key (as in X-Accepted-GitHub-Permissions), the name GitHub's
// settings page shows, the level, and what the bot does with it.
internal sealed record GitHubPermission(string Key, string Title, string Level, string NeededFor)
{
    public override string ToString() => $"{Title}: {Level}";
}

// The permissions of every GitHub call the bot makes (docs/github.md lists the calls), and a live probe of each that
// changes nothing: a read is read, a write is sent without a body, which GitHub answers 422 (wrong body) when the
// token may write and 403 when it may not. That GitHub checks the permission before the body is how its API behaves
// for these endpoints as far as we have seen, not a documented promise (unconfirmed).
internal static class GitHubPermissions
{
    public static readonly GitHubPermission Metadata = new("metadata", "Metadata", "read", "to see the repository at all");
    public static readonly GitHubPermission Contents = new("contents", "Contents", "write", "to create tags, write CHANGELOG.md and create releases");
    public static readonly GitHubPermission Checks = new("checks", "Checks", "read", "to read the required checks before a release");
    public static readonly GitHubPermission Statuses = new("statuses", "Commit statuses", "read", "to read the required commit statuses before a release");
    public static readonly GitHubPermission Deployments = new("deployments", "Deployments", "write", "to record deployments");

    public static IReadOnlyList<GitHubPermission> Needed(GitHubOptions options) =>
        options.Deployments ? [Metadata, Contents, Checks, Statuses, Deployments] : [Metadata, Contents, Checks, Statuses];

    // Null when the token has the permission; otherwise why not (GitHub's message and the permission it asked for).
    public static async Task<string?> MissingAsync(GitHubApi api, IFlurlClient client, GitHubPermission permission, string sha, CancellationToken cancellationToken)
    {
        var request = permission.Key switch
        {
            "metadata" => api.Repo(client),
            "contents" => api.Repo(client, "git", "refs"),
            "checks" => api.Repo(client, "commits", sha, "check-runs").SetQueryParam("per_page", 1),
            "statuses" => api.Repo(client, "commits", sha, "status").SetQueryParam("per_page", 1),
            "deployments" => api.Repo(client, "deployments"),
            _ => throw new ArgumentOutOfRangeException(nameof(permission), permission.Key, "no probe for this permission"),
        };
        var verb = permission.Level == "write" ? HttpMethod.Post : HttpMethod.Get;
        // Never retried: a 403 here is the answer, and an empty write must not be repeated into a rate limit.
        using var response = await request.OnlyRetryRateLimits()
            .SendAsync(GitHubApi.SystemName, verb, verb == HttpMethod.Post ? new { } : null, cancellationToken, 403, 404, 422);
        if (response.StatusCode is 403 or 404)
        {
            // A 403 with Retry-After, or with the quota spent, is a rate limit, which says nothing about the permission.
            if (response.ResponseMessage.Headers.RetryAfter is not null
                || (response.Headers.TryGetFirst("x-ratelimit-remaining", out var remaining) && remaining == "0"))
                throw new OutsideCallException($"GitHub rate-limited the check of {permission}: try the doctor again later", response.StatusCode);
            var accepted = response.Headers.TryGetFirst("X-Accepted-GitHub-Permissions", out var value) ? $"; GitHub asks for {value}" : "";
            return $"{response.StatusCode} {OutsideCallException.ErrorText(await OutsideCallException.ReadBodyAsync(response))}{accepted}";
        }

        return null;
    }
}
