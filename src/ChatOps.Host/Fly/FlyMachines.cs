using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

// The Deploy step: one machine at a time, under a lease, onto the new image, then waited on until it is healthy.
internal sealed class FlyMachines(FlyApi api, TimeProvider time, ILogger logger)
{
    public async Task<IReadOnlyList<MachineStatus>> ListMachinesAsync(string app, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        // The bot's own migration machines (and flyctl's release_command ones) take no traffic: deploys, rollbacks and
        // /status leave them alone.
        return [.. (await FlyApi.ListAsync(client, app, cancellationToken)).Where(m => !FlyMigrationMachines.IsTemporary(m))
            .Select(FlyMachineJson.Status).OrderBy(m => m.Id, StringComparer.Ordinal)];
    }

    public async Task<MachineStatus> DeployAsync(string app, string machineId, string image, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = api.Open();
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
            () => FlyApi.Machine(client, app, machineId, "lease"), api.Options.LeaseTtl, what, $"chatops deploy {image}", logger, time, cancellationToken);

        // An update replaces the whole config: send back everything we read, fields we do not model included.
        var update = (JsonObject)config.DeepClone();
        update["image"] = image;
        var updated = await FlyApi.Machine(client, app, machineId).WithHeader(FlyLease.NonceHeader, lease.Nonce)
            .CallJsonAsync<JsonObject>(FlyApi.SystemName, HttpMethod.Post, new JsonObject { ["config"] = update }, cancellationToken);

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

            if (await FlyApi.WaitOnceAsync(client, app, machineId, "started", instanceId, left, cancellationToken))
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

            await Task.Delay(api.Options.PollInterval, time, cancellationToken);
        }
    }

    private static async Task<JsonObject> GetAsync(IFlurlClient client, string app, string machineId, CancellationToken cancellationToken) =>
        await FlyApi.Machine(client, app, machineId).CallJsonAsync<JsonObject>(FlyApi.SystemName, HttpMethod.Get, null, cancellationToken);
}
