using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

// IDeployTarget over the Fly Machines API. Singleton: each operation opens a Flurl client on the pooled handler.
public sealed partial class FlyClient(IHttpClientFactory httpClients, IOptions<FlyOptions> options, TimeProvider time, ILogger<FlyClient> logger)
    : IDeployTarget
{
    public const string HttpClientName = "Fly";
    private const string SystemName = "Fly";
    private const int MaxWaitSeconds = 60;
    private static readonly TimeSpan WaitGrace = TimeSpan.FromSeconds(15);

    private readonly FlyOptions _options = options.Value;

    public async Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken)
    {
        using var client = Open();
        return [.. (await ListAsync(client, app, cancellationToken)).Select(FlyMachineJson.Status).OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    public async Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = Open();
        var deadline = time.GetUtcNow() + timeout;
        var what = $"machine {machineId} of {app}";
        var machine = await GetAsync(client, app, machineId, cancellationToken);
        var current = FlyMachineJson.Status(machine);
        if (current.Image == image && current.State is "started" or "starting" or "replacing")
        {
            // Already updated, by us before a crash or a lost answer: only the waiting is left to do.
            return current is { State: "started", Healthy: true }
                ? current
                : await WaitHealthyAsync(client, app, machineId, image, timeout, deadline, cancellationToken);
        }

        if (machine["config"] is not JsonObject config)
        {
            throw new InvalidOperationException($"Fly returned no config for {what} (host status {machine["host_status"]}); it cannot be updated safely.");
        }

        await using var lease = await FlyLease.AcquireAsync(
            () => Machine(client, app, machineId, "lease"), _options.LeaseTtl, what, $"chatops deploy {image}", logger, time, cancellationToken);

        // An update replaces the whole config: send back everything we read, fields we do not model included.
        var update = (JsonObject)config.DeepClone();
        update["image"] = image;
        var updated = await Machine(client, app, machineId).WithHeader(FlyLease.NonceHeader, lease.Nonce)
            .CallJsonAsync<JsonObject>(SystemName, HttpMethod.Post, new JsonObject { ["config"] = update }, cancellationToken);

        await WaitStartedAsync(client, app, machineId, FlyMachineJson.InstanceId(updated), image, timeout, deadline, cancellationToken);
        return await WaitHealthyAsync(client, app, machineId, image, timeout, deadline, cancellationToken);
    }

    // /wait answers 408 when its own timeout (at most 60 s) runs out first, so it is called until our deadline.
    private async Task WaitStartedAsync(
        IFlurlClient client, string app, string machineId, string? instanceId, string image, TimeSpan timeout, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"Machine {machineId} of {app} did not reach `started` on {image} within {timeout}.");
            }

            var seconds = Math.Clamp((int)Math.Ceiling(left.TotalSeconds), 1, MaxWaitSeconds);
            using var response = await Machine(client, app, machineId, "wait")
                .SetQueryParams(new { state = "started", instance_id = instanceId, timeout = seconds })
                .WithAttemptTimeout(TimeSpan.FromSeconds(seconds) + WaitGrace)
                .SendAsync(SystemName, HttpMethod.Get, null, cancellationToken, 408);
            if (response.StatusCode != 408)
            {
                return;
            }
        }
    }

    private async Task<MachineStatus> WaitHealthyAsync(
        IFlurlClient client, string app, string machineId, string image, TimeSpan timeout, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        while (true)
        {
            var machine = await GetAsync(client, app, machineId, cancellationToken);
            var status = FlyMachineJson.Status(machine);
            if (status is { State: "started", Healthy: true })
            {
                return status;
            }

            if (status.State is "failed" or "destroyed" or "destroying")
            {
                throw new InvalidOperationException($"Machine {machineId} of {app} is {status.State} after the update to {image}: {FlyMachineJson.FailingChecks(machine)}.");
            }

            if (time.GetUtcNow() >= deadline)
            {
                throw new TimeoutException(
                    $"Machine {machineId} of {app} was not healthy on {image} within {timeout} (state {status.State}): {FlyMachineJson.FailingChecks(machine)}.");
            }

            await Task.Delay(_options.PollInterval, time, cancellationToken);
        }
    }

    private async Task<List<JsonObject>> ListAsync(IFlurlClient client, string app, CancellationToken cancellationToken) =>
        await App(client, app, "machines").CallJsonAsync<List<JsonObject>>(SystemName, HttpMethod.Get, null, cancellationToken);

    private async Task<JsonObject> GetAsync(IFlurlClient client, string app, string machineId, CancellationToken cancellationToken) =>
        await Machine(client, app, machineId).CallJsonAsync<JsonObject>(SystemName, HttpMethod.Get, null, cancellationToken);

    private IFlurlClient Open()
    {
        var client = httpClients.CreateFlurlClient(HttpClientName, _options.ApiBaseUrl, OutsideCalls.SnakeCaseJson);
        client.WithHeader("Authorization", _options.AuthorizationHeader).WithHeader("User-Agent", "chatops-release-bot/1.0");
        return client;
    }

    private static IFlurlRequest App(IFlurlClient client, string app, params string[] segments) =>
        client.Request("v1", "apps", app).AppendPathSegments(segments);

    private static IFlurlRequest Machine(IFlurlClient client, string app, string machineId, params string[] segments) =>
        App(client, app, "machines", machineId).AppendPathSegments(segments);
}
