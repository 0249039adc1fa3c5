namespace ChatOps.Sandbox;

// Refs, annotated tag objects and branches.
internal static class GitHubGitEndpoints
{
    private const string RefDocs = "https://docs.github.com/rest/git/refs";

    public static void MapGitRefs(this RouteGroupBuilder group, GitHubRepo repo)
    {
        group.MapGet("/git/ref/{**path}", (string path) =>
            repo.GetRef("refs/" + path) is { } sha
                ? SandboxJson.Json(GitHubJson.Ref(repo, "refs/" + path, sha))
                : GitHubErrors.NotFound($"{RefDocs}#get-a-reference"));

        group.MapGet("/git/matching-refs/{**path}", (string path) =>
            SandboxJson.Json(repo.MatchingRefs("refs/" + path).Select(r => GitHubJson.Ref(repo, r.Key, r.Value)).ToList()));

        group.MapGet("/branches/{branch}", (string branch) =>
            repo.GetRef("refs/heads/" + branch) is { } sha && repo.Resolve(sha) is { } commit
                ? SandboxJson.Json(new
                {
                    name = branch,
                    commit = GitHubJson.Commit(repo, commit),
                    _links = new { self = $"{repo.RepoApiUrl}/branches/{branch}", html = $"{repo.HtmlUrl}/tree/{branch}" },
                    @protected = false,
                    protection = new { enabled = false, required_status_checks = new { enforcement_level = "off", contexts = Array.Empty<string>(), checks = Array.Empty<object>() } },
                    protection_url = $"{repo.RepoApiUrl}/branches/{branch}/protection",
                })
                : GitHubErrors.Error(404, "Branch not found", "https://docs.github.com/rest/branches/branches#get-a-branch"));

        group.MapPost("/git/tags", async (HttpRequest request) =>
        {
            const string docs = "https://docs.github.com/rest/git/tags#create-a-tag-object";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            foreach (var field in new[] { "tag", "message", "object", "type" })
            {
                if (body.GetString(field) is null)
                {
                    return GitHubErrors.NotSupplied(field, docs);
                }
            }

            var tagger = body["tagger"] is System.Text.Json.Nodes.JsonObject t
                ? new Tagger(t.GetString("name") ?? "chatops-bot", t.GetString("email") ?? "chatops@example.com",
                    t.GetString("date") ?? SandboxJson.Iso(DateTimeOffset.UtcNow))
                : new Tagger("chatops-bot", "chatops@example.com", SandboxJson.Iso(DateTimeOffset.UtcNow));
            var tag = repo.CreateTagObject(body.GetString("tag")!, body.GetString("message")!, body.GetString("object")!, tagger);
            return tag is null
                ? GitHubErrors.Error(422, "Object does not exist", docs)
                : SandboxJson.Json(GitHubJson.Tag(repo, tag), StatusCodes.Status201Created);
        });

        group.MapGet("/git/tags/{sha}", (string sha) =>
            repo.GetTagObject(sha) is { } tag
                ? SandboxJson.Json(GitHubJson.Tag(repo, tag))
                : GitHubErrors.NotFound("https://docs.github.com/rest/git/tags#get-a-tag"));

        group.MapPost("/git/refs", async (HttpRequest request, HttpResponse response) =>
        {
            const string docs = $"{RefDocs}#create-a-reference";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            if (body.GetString("ref") is not { } fullRef)
            {
                return GitHubErrors.NotSupplied("ref", docs);
            }

            if (body.GetString("sha") is not { } sha)
            {
                return GitHubErrors.NotSupplied("sha", docs);
            }

            // Fully qualified: starts with refs and has at least two slashes.
            if (!fullRef.StartsWith("refs/", StringComparison.Ordinal) || fullRef.Count(c => c == '/') < 2)
            {
                return GitHubErrors.Error(422, "Reference name is invalid", docs);
            }

            switch (repo.CreateRef(fullRef, sha))
            {
                case WriteOutcome.AlreadyExists:
                    return GitHubErrors.Error(422, "Reference already exists", docs);
                case WriteOutcome.UnknownObject:
                    return GitHubErrors.Error(422, "Object does not exist", docs);
                default:
                    response.Headers.Location = $"{repo.RepoApiUrl}/git/{fullRef}";
                    return SandboxJson.Json(GitHubJson.Ref(repo, fullRef, sha), StatusCodes.Status201Created);
            }
        });

        group.MapPatch("/git/refs/{**path}", async (string path, HttpRequest request) =>
        {
            const string docs = $"{RefDocs}#update-a-reference";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            if (body.GetString("sha") is not { } sha)
            {
                return GitHubErrors.NotSupplied("sha", docs);
            }

            var fullRef = "refs/" + path;
            return repo.UpdateRef(fullRef, sha, body.GetBool("force") ?? false) switch
            {
                WriteOutcome.Missing => GitHubErrors.Error(422, "Reference does not exist", docs),
                WriteOutcome.UnknownObject => GitHubErrors.Error(422, "Object does not exist", docs),
                WriteOutcome.NotFastForward => GitHubErrors.Error(422, "Update is not a fast forward", docs),
                _ => SandboxJson.Json(GitHubJson.Ref(repo, fullRef, sha)),
            };
        });

        group.MapDelete("/git/refs/{**path}", (string path) =>
        {
            const string docs = $"{RefDocs}#delete-a-reference";
            if ("refs/" + path == repo.BranchRef)
            {
                return GitHubErrors.Error(422, "Cannot delete the default branch", docs);
            }

            return repo.DeleteRef("refs/" + path) == WriteOutcome.Missing
                ? GitHubErrors.Error(422, "Reference does not exist", docs)
                : Results.NoContent();
        });
    }
}
