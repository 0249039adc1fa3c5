using System.Text.Json;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.GitHub;

// GitHub Deployments for every release and rollback (reference §9). The release id travels in the payload, so a
// create retried after a crash, or after an answer that got lost, finds the deployment it made instead of making a second.
internal sealed class GitHubDeployments(GitHubApi api) : IDeploymentRecords
{
    private const string Task = "deploy";

    // A create that timed out or got a 5xx may have happened: it is never repeated blindly, only after looking again.
    private const int Creates = 3;

    public async Task<long> EnsureAsync(DeploymentRequest request, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        for (var create = 1; ; create++)
        {
            if (await FindAsync(client, request, cancellationToken) is { } found)
            {
                return found;
            }

            try
            {
                return await CreateAsync(client, request, cancellationToken);
            }
            catch (OutsideCallException e) when (create < Creates && (e.TimedOut || e.StatusCode is null or >= 500))
            {
                // Looked for again at the top of the loop before another create.
            }
        }
    }

    private async Task<long?> FindAsync(IFlurlClient client, DeploymentRequest request, CancellationToken cancellationToken)
    {
        var existing = await api.Repo(client, "deployments")
            .SetQueryParams(new { environment = request.Environment, @ref = request.Ref, task = Task })
            .CallJsonAsync<List<Deployment>>(GitHubApi.SystemName, HttpMethod.Get, null, cancellationToken);
        return existing.FirstOrDefault(d => ReleaseIdOf(d) == request.ReleaseId)?.Id;
    }

    private async Task<long> CreateAsync(IFlurlClient client, DeploymentRequest request, CancellationToken cancellationToken)
    {
        // auto_merge off and no required contexts: a tag is deployed as it is, and Preflight already checked it.
        var body = new NewDeployment(request.Ref, Task, AutoMerge: false, RequiredContexts: [], new Payload(request.ReleaseId, request.Kind),
            request.Environment, request.Description, TransientEnvironment: false);
        // Only a rate limit (not done, come back later) is retried by the client: after anything else, EnsureAsync looks first.
        using var response = await api.Repo(client, "deployments").OnlyRetryRateLimits()
            .SendAsync(GitHubApi.SystemName, HttpMethod.Post, body, cancellationToken);
        if (response.StatusCode != 201)
        {
            throw new OutsideCallException($"GitHub did not create the deployment of {request.Ref} to {request.Environment}: it answered {response.StatusCode}", response.StatusCode);
        }

        return (await response.ReadJsonAsync<Deployment>(GitHubApi.SystemName)).Id;
    }

    public async Task SetStateAsync(long deploymentId, string state, string description, string? environmentUrl, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        // auto_inactive off: the bot marks the superseded deployment inactive itself, production included.
        var body = new NewStatus(state, description.Length <= 140 ? description : description[..139] + "…", environmentUrl, AutoInactive: false);
        using var response = await api.Repo(client, "deployments", deploymentId.ToString(System.Globalization.CultureInfo.InvariantCulture), "statuses")
            .SendAsync(GitHubApi.SystemName, HttpMethod.Post, body, cancellationToken);
    }

    private static long? ReleaseIdOf(Deployment deployment) =>
        deployment.Payload is { ValueKind: JsonValueKind.Object } payload && payload.TryGetProperty("release_id", out var id) && id.TryGetInt64(out var value)
            ? value
            : null;

    private sealed record Deployment(long Id, string? Environment, string? Ref, JsonElement? Payload);

    private sealed record Payload(long ReleaseId, string Kind);

    private sealed record NewDeployment(string Ref, string Task, bool AutoMerge, List<string> RequiredContexts, Payload Payload, string Environment,
        string Description, bool TransientEnvironment);

    private sealed record NewStatus(string State, string Description, string? EnvironmentUrl, bool AutoInactive);
}
