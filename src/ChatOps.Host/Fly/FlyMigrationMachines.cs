using System.Globalization;
using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

// A release's migrations run where its migration files are: in a temporary machine of the migrations app started from
// the release's image, as flyctl's release_command does (reference §12). It sleeps as its main process, so each Alembic
// command runs through exec and its output comes back; it takes no traffic and holds no volume. The metadata names the
// release, so a restarted bot finds it again instead of creating a second one, and so that deploys leave it alone.
internal sealed class FlyMigrationMachines(FlyApi api, TimeProvider time)
{
    public const string ReleaseKey = "chatops_release";
    public const string RoleKey = "chatops_role";
    public const string Role = "migrations";

    // Not the app's process group, so flyctl's own deploys skip it as they skip their release_command machines.
    public const string ProcessGroup = "chatops_migrations";

    // The longest the machine lives if nobody destroys it (a bot gone for good): its main process ends, and with
    // auto_destroy the machine goes with it.
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(2);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public async Task<MigrationMachine> StartAsync(string app, long releaseId, string image, bool waitStarted, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        var machine = await FindUsableAsync(client, app, releaseId, image, cancellationToken)
            ?? await CreateAsync(client, app, releaseId, image, cancellationToken);
        if (waitStarted && machine.State != "started")
        {
            await WaitAsync(client, machine, "started", StartTimeout, cancellationToken);
            machine = machine with { State = "started" };
        }
        return machine;
    }

    public async Task DestroyAsync(string app, long releaseId, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        foreach (var machine in await ListAsync(client, app, releaseId, cancellationToken))
            await DestroyAsync(client, machine, cancellationToken);
    }

    public async Task<IReadOnlyList<MigrationMachine>> ListAsync(string app, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        return await ListAsync(client, app, null, cancellationToken);
    }

    // The one machine of this release on this image; one on another image (a tag pushed again and approved anew) or a
    // second one (a create whose answer was lost) is destroyed, so that at most one remains.
    private async Task<MigrationMachine?> FindUsableAsync(IFlurlClient client, string app, long releaseId, string image, CancellationToken cancellationToken)
    {
        MigrationMachine? usable = null;
        foreach (var machine in await ListAsync(client, app, releaseId, cancellationToken))
        {
            if (usable is null && machine.Image == image && machine.State is "created" or "starting" or "started")
                usable = machine;
            else
                await DestroyAsync(client, machine, cancellationToken);
        }
        return usable;
    }

    private async Task<MigrationMachine> CreateAsync(IFlurlClient client, string app, long releaseId, string image, CancellationToken cancellationToken)
    {
        var template = await TemplateAsync(client, app, cancellationToken);
        var config = new JsonObject
        {
            ["image"] = image,
            ["init"] = new JsonObject { ["cmd"] = new JsonArray("sleep", ((int)Lifetime.TotalSeconds).ToString(CultureInfo.InvariantCulture)) },
            ["env"] = new JsonObject { ["RELEASE_COMMAND"] = "1", ["FLY_PROCESS_GROUP"] = ProcessGroup },
            ["guest"] = template?["config"]?["guest"]?.DeepClone() ?? new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = 512 },
            ["restart"] = new JsonObject { ["policy"] = "no" },
            ["auto_destroy"] = true,
            ["metadata"] = new JsonObject
            {
                ["fly_platform_version"] = "v2",
                ["fly_process_group"] = ProcessGroup,
                [ReleaseKey] = releaseId.ToString(CultureInfo.InvariantCulture),
                [RoleKey] = Role,
            },
        };
        var body = new JsonObject
        {
            ["name"] = $"chatops-migrations-{releaseId}",
            ["config"] = config,
            ["skip_service_registration"] = true,
        };
        if (template?["region"] is JsonValue region)
            body["region"] = region.DeepClone();
        try
        {
            // Never repeated blindly: a create whose answer was lost may have made the machine, so it is looked for instead.
            var created = await FlyApi.App(client, app, "machines").OnlyRetryRateLimits()
                .CallJsonAsync<JsonObject>(FlyApi.SystemName, HttpMethod.Post, body, cancellationToken);
            return Read(app, created) ?? throw new InvalidOperationException($"Fly created a machine in {app} without an id.");
        }
        catch (OutsideCallException ex) when (ex.TimedOut || ex.StatusCode >= 500 || ex.StatusCode is null && !ex.NeverSent)
        {
            if ((await ListAsync(client, app, releaseId, cancellationToken)).FirstOrDefault(m => m.Image == image) is { } made)
                return made;
            throw;
        }
    }

    // A machine of the app that serves it: the migration machine gets its size and region.
    private static async Task<JsonObject?> TemplateAsync(IFlurlClient client, string app, CancellationToken cancellationToken) =>
        (await FlyApi.ListAsync(client, app, cancellationToken)).Where(m => !IsTemporary(m))
            .OrderBy(m => m["id"]?.ToString(), StringComparer.Ordinal).FirstOrDefault();

    public static bool IsTemporary(JsonObject machine)
    {
        var metadata = machine["config"]?["metadata"];
        return metadata?[RoleKey] is not null
            || metadata?["fly_process_group"]?.ToString() is ProcessGroup or "fly_app_release_command";
    }

    private static async Task<IReadOnlyList<MigrationMachine>> ListAsync(IFlurlClient client, string app, long? releaseId, CancellationToken cancellationToken)
    {
        var request = FlyApi.App(client, app, "machines").SetQueryParam($"metadata.{RoleKey}", Role);
        if (releaseId is { } id)
            request = request.SetQueryParam($"metadata.{ReleaseKey}", id.ToString(CultureInfo.InvariantCulture));
        var machines = await request.CallJsonAsync<List<JsonObject>>(FlyApi.SystemName, HttpMethod.Get, null, cancellationToken);
        // The filter is the server's; checked again here, since a machine of another release must never be touched.
        return [.. machines.Select(m => Read(app, m)).OfType<MigrationMachine>()
            .Where(m => releaseId is null || m.ReleaseId == releaseId)
            .Where(m => m.State is not ("destroyed" or "destroying"))];
    }

    private static MigrationMachine? Read(string app, JsonObject machine)
    {
        var metadata = machine["config"]?["metadata"];
        if (machine["id"]?.ToString() is not { Length: > 0 } id || metadata?[RoleKey]?.ToString() != Role
            || !long.TryParse(metadata[ReleaseKey]?.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var releaseId))
            return null;
        DateTimeOffset? createdAt = DateTimeOffset.TryParse(machine["created_at"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        return new MigrationMachine(app, id, releaseId, FlyMachineJson.Image(machine), machine["state"]?.ToString() ?? "unknown", createdAt);
    }

    private async Task WaitAsync(IFlurlClient client, MigrationMachine machine, string state, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + timeout;
        while (true)
        {
            var left = deadline - time.GetUtcNow();
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"The migration machine {machine.Id} of {machine.App} on {machine.Image} was not {state} within {timeout}.");
            if (await FlyApi.WaitOnceAsync(client, machine.App, machine.Id, state, null, left, cancellationToken))
                return;
            // A machine that will never start (its image failed to boot) ends the wait at once instead of at the deadline.
            var now = await FlyApi.Machine(client, machine.App, machine.Id).CallJsonAsync<JsonObject>(FlyApi.SystemName, HttpMethod.Get, null, cancellationToken);
            if (now["state"]?.ToString() is "stopped" or "failed" or "destroyed" or "destroying" && state == "started")
                throw new InvalidOperationException($"The migration machine {machine.Id} of {machine.App} on {machine.Image} is {now["state"]} instead of started: the image may not boot.");
        }
    }

    private static async Task DestroyAsync(IFlurlClient client, MigrationMachine machine, CancellationToken cancellationToken)
    {
        using var response = await FlyApi.Machine(client, machine.App, machine.Id).SetQueryParam("force", "true")
            .SendAsync(FlyApi.SystemName, HttpMethod.Delete, null, cancellationToken, 404);
    }
}
