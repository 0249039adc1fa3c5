using System.Text;

namespace ChatOps.Sandbox;

// Release notes and releases: one release per tag.
internal static class GitHubReleaseEndpoints
{
    private const string Docs = "https://docs.github.com/rest/releases/releases";

    public static void MapReleases(this RouteGroupBuilder group, GitHubRepo repo)
    {
        group.MapPost("/releases/generate-notes", async (HttpRequest request) =>
        {
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", $"{Docs}#generate-release-notes-content-for-a-release");
            }

            if (body.GetString("tag_name") is not { } tag)
            {
                return GitHubErrors.NotSupplied("tag_name", $"{Docs}#generate-release-notes-content-for-a-release");
            }

            var notes = Notes(repo, tag, body.GetString("target_commitish"), body.GetString("previous_tag_name"));
            return notes is null
                ? GitHubErrors.NotFound($"{Docs}#generate-release-notes-content-for-a-release")
                : SandboxJson.Json(new { name = tag, body = notes });
        });

        group.MapPost("/releases", async (HttpRequest request) =>
        {
            const string docs = $"{Docs}#create-a-release";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            if (body.GetString("tag_name") is not { } tag)
            {
                return GitHubErrors.NotSupplied("tag_name", docs);
            }

            var target = body.GetString("target_commitish") ?? repo.Branch;
            if ((repo.FindTag(tag)?.CommitSha ?? repo.Resolve(target)?.Sha) is not { } commitSha)
            {
                return GitHubErrors.Error(422, "Validation Failed", docs, new[] { new { resource = "Release", code = "invalid", field = "target_commitish" } });
            }

            var text = body.GetString("body") ?? "";
            if (body.GetBool("generate_release_notes") == true)
            {
                var generated = Notes(repo, tag, target, null) ?? "";
                text = text.Length == 0 ? generated : text + "\n\n" + generated;
            }

            var draft = new Release(0, tag, target, body.GetString("name") ?? tag, text, body.GetBool("draft") ?? false,
                body.GetBool("prerelease") ?? false, DateTimeOffset.UtcNow);
            var release = repo.CreateRelease(draft, commitSha);
            return release is null
                ? GitHubErrors.Error(422, "Validation Failed", docs, new[] { new { resource = "Release", code = "already_exists", field = "tag_name" } })
                : SandboxJson.Json(Json(repo, release), StatusCodes.Status201Created);
        });

        // Drafts are invisible here, as on GitHub.
        group.MapGet("/releases/tags/{tag}", (string tag) =>
            repo.GetRelease(tag) is { Draft: false } release
                ? SandboxJson.Json(Json(repo, release))
                : GitHubErrors.NotFound($"{Docs}#get-a-release-by-tag-name"));

        group.MapGet("/releases/latest", () =>
            repo.LatestRelease() is { } release
                ? SandboxJson.Json(Json(repo, release))
                : GitHubErrors.NotFound($"{Docs}#get-the-latest-release"));
    }

    // "What's Changed" from the previous tag (or the nearest older tag) to the tag or target; null when a named
    // ref does not exist.
    internal static string? Notes(GitHubRepo repo, string tag, string? target, string? previousTag)
    {
        var head = repo.FindTag(tag)?.CommitSha ?? repo.Resolve(target ?? repo.Branch)?.Sha;
        if (head is null)
        {
            return null;
        }

        var tags = repo.TagCommits();
        var line = repo.Ancestry(head);
        if (previousTag is not null && !tags.ContainsKey(previousTag))
        {
            return null;
        }

        previousTag ??= line.Skip(1)
            .Select(c => tags.Where(t => t.Value == c.Sha && t.Key != tag).Select(t => t.Key).Order(StringComparer.Ordinal).LastOrDefault())
            .FirstOrDefault(t => t is not null);
        var commits = line.TakeWhile(c => previousTag is null || c.Sha != tags[previousTag]).Reverse().ToList();

        var sb = new StringBuilder();
        if (commits.Count > 0)
        {
            sb.Append("## What's Changed\n");
            foreach (var c in commits)
            {
                sb.Append($"* {c.Message.Split('\n')[0]} by @octo in {repo.HtmlUrl}/pull/{c.PullNumber}\n");
            }

            sb.Append('\n');
        }

        sb.Append(previousTag is null
            ? $"**Full Changelog**: {repo.HtmlUrl}/commits/{tag}"
            : $"**Full Changelog**: {repo.HtmlUrl}/compare/{previousTag}...{tag}");
        return sb.ToString();
    }

    private static object Json(GitHubRepo repo, Release r) => new
    {
        url = $"{repo.RepoApiUrl}/releases/{r.Id}",
        assets_url = $"{repo.RepoApiUrl}/releases/{r.Id}/assets",
        upload_url = $"https://uploads.github.com/repos/{repo.FullName}/releases/{r.Id}/assets{{?name,label}}",
        html_url = $"{repo.HtmlUrl}/releases/tag/{r.TagName}",
        id = r.Id,
        author = GitHubJson.User("chatops-bot[bot]", 41898282),
        node_id = GitHubJson.NodeId("Release", r.TagName),
        tag_name = r.TagName,
        target_commitish = r.TargetCommitish,
        name = r.Name,
        draft = r.Draft,
        immutable = false,
        prerelease = r.Prerelease,
        created_at = SandboxJson.Iso(r.CreatedAt),
        published_at = r.Draft ? null : SandboxJson.Iso(r.CreatedAt),
        assets = Array.Empty<object>(),
        tarball_url = $"{repo.RepoApiUrl}/tarball/{r.TagName}",
        zipball_url = $"{repo.RepoApiUrl}/zipball/{r.TagName}",
        body = r.Body,
    };
}
