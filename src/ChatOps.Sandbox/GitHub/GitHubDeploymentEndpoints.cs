using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

internal static class GitHubDeploymentEndpoints
{
    private const string Docs = "https://docs.github.com/rest/deployments";
    private static readonly string[] States = ["error", "failure", "inactive", "in_progress", "queued", "pending", "success"];

    public static void MapDeployments(this RouteGroupBuilder group, GitHubRepo repo)
    {
        group.MapPost("/deployments", async (HttpRequest request) =>
        {
            const string docs = $"{Docs}/deployments#create-a-deployment";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            if (body.GetString("ref") is not { } gitRef)
            {
                return GitHubErrors.NotSupplied("ref", docs);
            }

            if (repo.Resolve(gitRef) is not { } commit)
            {
                return GitHubErrors.Error(422, $"No ref found for: {gitRef}", docs);
            }

            // Omitting required_contexts verifies every context on the commit; [] verifies none.
            var states = repo.ContextStates(commit.Sha);
            var required = body["required_contexts"] is JsonArray list
                ? list.Select(n => n?.GetValue<string>() ?? "").ToList()
                : [.. states.Keys];
            var failed = required.Where(c => states.GetValueOrDefault(c) != "success")
                .Select(c => new { context = c, state = states.GetValueOrDefault(c) ?? "missing" }).ToList();
            if (failed.Count > 0)
            {
                return GitHubErrors.Error(409, $"Conflict: Commit status checks failed for {gitRef}.", docs,
                    new[] { new { contexts = failed, resource = "Deployment", field = "required_contexts", code = "invalid" } });
            }

            var environment = body.GetString("environment") ?? "production";
            var payload = body["payload"]?.DeepClone();
            var deployment = repo.CreateDeployment(commit.Sha, gitRef, body.GetString("task") ?? "deploy", environment,
                body.GetString("description") ?? "", payload ?? new JsonObject(), body.GetBool("transient_environment") ?? false,
                body.GetBool("production_environment") ?? environment == "production");
            return SandboxJson.Json(Json(repo, deployment), StatusCodes.Status201Created);
        });

        group.MapGet("/deployments", (HttpRequest request) =>
        {
            IEnumerable<Deployment> list = repo.Deployments();
            string Q(string name) => request.Query[name].ToString();
            list = list.Where(d => (Q("environment") is not { Length: > 0 } e || d.Environment == e)
                && (Q("ref") is not { Length: > 0 } r || d.Ref == r)
                && (Q("sha") is not { Length: > 0 } s || d.Sha == s)
                && (Q("task") is not { Length: > 0 } t || d.Task == t));
            return SandboxJson.Json(list.Select(d => Json(repo, d)).ToList());
        });

        group.MapPost("/deployments/{id:long}/statuses", async (long id, HttpRequest request) =>
        {
            const string docs = $"{Docs}/statuses#create-a-deployment-status";
            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return GitHubErrors.Error(400, "Problems parsing JSON", docs);
            }

            if (body.GetString("state") is not { } state || !States.Contains(state))
            {
                return GitHubErrors.Error(422, "Validation Failed", docs, new[] { new { resource = "DeploymentStatus", code = "invalid", field = "state" } });
            }

            var description = body.GetString("description") ?? "";
            if (description.Length > 140)
            {
                return GitHubErrors.Error(422, "Validation Failed", docs, new[] { new { resource = "DeploymentStatus", code = "custom", field = "description" } });
            }

            var logUrl = body.GetString("log_url") ?? body.GetString("target_url") ?? "";
            var status = repo.AddDeploymentStatus(id, state, description, body.GetString("environment"), logUrl, body.GetString("environment_url") ?? "");
            return status is null
                ? GitHubErrors.NotFound(docs)
                : SandboxJson.Json(new
                {
                    url = $"{repo.RepoApiUrl}/deployments/{id}/statuses/{status.Id}",
                    id = status.Id,
                    node_id = GitHubJson.NodeId("DeploymentStatus", status.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    state,
                    creator = GitHubJson.User("chatops-bot[bot]", 41898282),
                    description,
                    environment = status.Environment,
                    target_url = logUrl,
                    log_url = logUrl,
                    environment_url = status.EnvironmentUrl,
                    created_at = SandboxJson.Iso(status.CreatedAt),
                    updated_at = SandboxJson.Iso(status.CreatedAt),
                    deployment_url = $"{repo.RepoApiUrl}/deployments/{id}",
                    repository_url = repo.RepoApiUrl,
                }, StatusCodes.Status201Created);
        });
    }

    private static object Json(GitHubRepo repo, Deployment d) => new
    {
        url = $"{repo.RepoApiUrl}/deployments/{d.Id}",
        id = d.Id,
        node_id = GitHubJson.NodeId("Deployment", d.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        sha = d.Sha,
        @ref = d.Ref,
        task = d.Task,
        payload = d.Payload,
        original_environment = d.Environment,
        environment = d.Environment,
        description = d.Description,
        creator = GitHubJson.User("chatops-bot[bot]", 41898282),
        created_at = SandboxJson.Iso(d.CreatedAt),
        updated_at = SandboxJson.Iso(d.CreatedAt),
        statuses_url = $"{repo.RepoApiUrl}/deployments/{d.Id}/statuses",
        repository_url = repo.RepoApiUrl,
        transient_environment = d.TransientEnvironment,
        production_environment = d.ProductionEnvironment,
    };
}
