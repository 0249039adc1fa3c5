namespace ChatOps.Sandbox;

internal static class GitHubContentsEndpoints
{
    private const string Docs = "https://docs.github.com/rest/repos/contents";

    public static void MapContents(this RouteGroupBuilder group, GitHubRepo repo)
    {
        group.MapGet("/contents/{**path}", (string path, HttpRequest request) =>
        {
            var rev = request.Query["ref"].ToString() is { Length: > 0 } r ? r : repo.Branch;
            if (repo.Resolve(rev) is not { } commit)
            {
                return GitHubErrors.Error(404, $"No commit found for the ref {rev}", $"{Docs}#get-repository-content");
            }

            return commit.Files.TryGetValue(path, out var content)
                ? SandboxJson.Json(File(repo, path, content, rev, includeContent: true))
                : GitHubErrors.NotFound($"{Docs}#get-repository-content");
        });

        group.MapPut("/contents/{**path}", async (string path, HttpRequest request) =>
        {
            const string docs = $"{Docs}#create-or-update-file-contents";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            if (body.GetString("message") is not { } message)
            {
                return GitHubErrors.NotSupplied("message", docs);
            }

            if (body.GetString("content") is not { } encoded)
            {
                return GitHubErrors.NotSupplied("content", docs);
            }

            byte[] content;
            try
            {
                content = Convert.FromBase64String(string.Concat(encoded.Where(c => !char.IsWhiteSpace(c))));
            }
            catch (FormatException)
            {
                return GitHubErrors.Error(422, "content is not valid Base64", docs);
            }

            var branch = body.GetString("branch") ?? repo.Branch;
            if (!repo.BranchExists(branch))
            {
                return GitHubErrors.Error(404, $"Branch {branch} not found", docs);
            }

            var (outcome, commit, _) = repo.PutFile(branch, path, content, message, body.GetString("sha"));
            return outcome switch
            {
                WriteOutcome.ShaMissing => GitHubErrors.NotSupplied("sha", docs),
                WriteOutcome.ShaMismatch => GitHubErrors.Error(409, $"{path} does not match {body.GetString("sha")}", docs),
                _ => SandboxJson.Json(new
                {
                    content = File(repo, path, content, branch, includeContent: false),
                    commit = new
                    {
                        sha = commit!.Sha,
                        node_id = GitHubJson.NodeId("Commit", commit.Sha),
                        url = $"{repo.RepoApiUrl}/git/commits/{commit.Sha}",
                        html_url = $"{repo.HtmlUrl}/commit/{commit.Sha}",
                        author = Person(commit),
                        committer = Person(commit),
                        tree = new { url = $"{repo.RepoApiUrl}/git/trees/{commit.TreeSha}", sha = commit.TreeSha },
                        message,
                        parents = new[] { new { url = $"{repo.RepoApiUrl}/git/commits/{commit.ParentSha}", html_url = $"{repo.HtmlUrl}/commit/{commit.ParentSha}", sha = commit.ParentSha } },
                        verification = GitHubJson.Unverified,
                    },
                }, outcome == WriteOutcome.Created ? StatusCodes.Status201Created : StatusCodes.Status200OK),
            };
        });
    }

    private static object Person(SimCommit commit) =>
        new { date = SandboxJson.Iso(commit.Date), name = "chatops-bot", email = "chatops@example.com" };

    private static Dictionary<string, object?> File(GitHubRepo repo, string path, byte[] content, string rev, bool includeContent)
    {
        var sha = GitBlob.Sha(content);
        var self = $"{repo.RepoApiUrl}/contents/{path}?ref={rev}";
        var git = $"{repo.RepoApiUrl}/git/blobs/{sha}";
        var html = $"{repo.HtmlUrl}/blob/{rev}/{path}";
        var file = new Dictionary<string, object?>
        {
            ["name"] = path.Split('/')[^1],
            ["path"] = path,
            ["sha"] = sha,
            ["size"] = content.Length,
            ["url"] = self,
            ["html_url"] = html,
            ["git_url"] = git,
            ["download_url"] = $"https://raw.githubusercontent.com/{repo.FullName}/{rev}/{path}",
            ["type"] = "file",
        };
        if (includeContent)
        {
            file["content"] = GitBlob.WrappedBase64(content);
            file["encoding"] = "base64";
        }

        file["_links"] = new { self, git, html };
        return file;
    }
}
