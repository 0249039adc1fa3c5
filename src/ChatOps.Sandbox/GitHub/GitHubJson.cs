using System.Text;

namespace ChatOps.Sandbox;

// Shapes the simulator's records into GitHub's JSON objects.
internal static class GitHubJson
{
    public static object Ref(GitHubRepo repo, string fullRef, string sha)
    {
        var type = repo.IsTagObject(sha) ? "tag" : "commit";
        return new
        {
            @ref = fullRef,
            node_id = NodeId("Ref", fullRef),
            url = $"{repo.RepoApiUrl}/git/{fullRef}",
            @object = new { type, sha, url = $"{repo.RepoApiUrl}/git/{type}s/{sha}" },
        };
    }

    public static object Tag(GitHubRepo repo, TagObject tag) => new
    {
        node_id = NodeId("Tag", tag.Sha),
        tag = tag.Tag,
        sha = tag.Sha,
        url = $"{repo.RepoApiUrl}/git/tags/{tag.Sha}",
        message = tag.Message,
        tagger = new { name = tag.Tagger.Name, email = tag.Tagger.Email, date = tag.Tagger.Date },
        @object = new { type = tag.ObjectType, sha = tag.ObjectSha, url = $"{repo.RepoApiUrl}/git/{tag.ObjectType}s/{tag.ObjectSha}" },
        verification = Unverified,
    };

    public static object Commit(GitHubRepo repo, SimCommit c)
    {
        var person = new { name = "Octo Cat", email = "octo@example.com", date = SandboxJson.Iso(c.Date) };
        return new
        {
            sha = c.Sha,
            node_id = NodeId("Commit", c.Sha),
            commit = new
            {
                author = person,
                committer = person,
                message = c.Message,
                tree = new { sha = c.TreeSha, url = $"{repo.RepoApiUrl}/git/trees/{c.TreeSha}" },
                url = $"{repo.RepoApiUrl}/git/commits/{c.Sha}",
                comment_count = 0,
                verification = Unverified,
            },
            url = $"{repo.RepoApiUrl}/commits/{c.Sha}",
            html_url = $"{repo.HtmlUrl}/commit/{c.Sha}",
            comments_url = $"{repo.RepoApiUrl}/commits/{c.Sha}/comments",
            author = User("octo", 583231),
            committer = User("web-flow", 19864447),
            parents = c.ParentSha is null
                ? Array.Empty<object>()
                : [new { sha = c.ParentSha, url = $"{repo.RepoApiUrl}/commits/{c.ParentSha}", html_url = $"{repo.HtmlUrl}/commit/{c.ParentSha}" }],
        };
    }

    public static object CheckRun(GitHubRepo repo, CheckRun r) => new
    {
        id = r.Id,
        name = r.Name,
        node_id = NodeId("CheckRun", r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        head_sha = r.HeadSha,
        external_id = "",
        url = $"{repo.RepoApiUrl}/check-runs/{r.Id}",
        html_url = $"{repo.HtmlUrl}/runs/{r.Id}",
        details_url = $"{repo.HtmlUrl}/actions/runs/{r.Id / 10}/job/{r.Id}",
        status = r.Status,
        conclusion = r.Conclusion,
        started_at = SandboxJson.Iso(r.StartedAt),
        completed_at = r.CompletedAt is { } done ? SandboxJson.Iso(done) : null,
        output = new { title = (string?)null, summary = (string?)null, text = (string?)null, annotations_count = 0, annotations_url = $"{repo.RepoApiUrl}/check-runs/{r.Id}/annotations" },
        check_suite = new { id = r.Id / 10 },
        app = new { id = 15368, slug = "github-actions", name = "GitHub Actions" },
        pull_requests = Array.Empty<object>(),
    };

    public static object Status(GitHubRepo repo, CommitStatus s) => new
    {
        url = $"{repo.RepoApiUrl}/statuses/{s.Sha}",
        id = s.Id,
        node_id = NodeId("StatusContext", s.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        state = s.State,
        description = "",
        target_url = (string?)null,
        context = s.Context,
        created_at = SandboxJson.Iso(s.CreatedAt),
        updated_at = SandboxJson.Iso(s.CreatedAt),
    };

    public static object Repository(GitHubRepo repo) => new
    {
        id = 1296269,
        name = repo.FullName.Split('/')[1],
        full_name = repo.FullName,
        @private = true,
        html_url = repo.HtmlUrl,
        url = repo.RepoApiUrl,
        default_branch = repo.Branch,
    };

    public static object User(string login, long id) => new
    {
        login,
        id,
        node_id = NodeId("User", login),
        avatar_url = $"https://avatars.githubusercontent.com/u/{id}?v=4",
        html_url = $"https://github.com/{login}",
        type = login.EndsWith("[bot]", StringComparison.Ordinal) ? "Bot" : "User",
        site_admin = false,
    };

    public static readonly object Unverified = new { verified = false, reason = "unsigned", signature = (string?)null, payload = (string?)null, verified_at = (string?)null };

    public static string NodeId(string kind, string key) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{kind}:{key}")).TrimEnd('=');
}
