using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

internal static class FlyEndpoints
{
    public const string NonceHeader = "fly-machine-lease-nonce";
    private static readonly string[] WaitStates = ["started", "stopped", "suspended", "destroyed"];

    public static void MapFly(this WebApplication app, FlyCloud fly, SandboxOptions options, SandboxFaults faults, MutationLog mutations)
    {
        var gate = new FlyGate(options, faults);
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/fly"), branch => branch.Use(gate.InvokeAsync));

        var apps = app.MapGroup("/fly/v1/apps/{app}");
        apps.MapGet("/machines", (string app, HttpRequest request) =>
        {
            if (fly.FindApp(app) is not { } state)
            {
                return FlyJson.Error(404, "app not found");
            }

            var states = request.Query["state"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var summary = IsTrue(request.Query["summary"]);
            var includeDeleted = IsTrue(request.Query["include_deleted"]);
            // metadata.<key>=<value>: every pair given must match the machine's config.metadata.
            var metadata = request.Query.Where(q => q.Key.StartsWith("metadata.", StringComparison.Ordinal))
                .Select(q => (Key: q.Key["metadata.".Length..], Value: q.Value.ToString())).ToList();
            lock (state.Gate)
            {
                var now = DateTimeOffset.UtcNow;
                return SandboxJson.Json(state.Machines.Select(m => FlyCloud.Advance(m, now))
                    .Where(m => includeDeleted || !m.Destroyed)
                    .Where(m => states.Length == 0 || states.Contains(m.State))
                    .Where(m => metadata.All(p => m.Metadata.TryGetValue(p.Key, out var v) && v == p.Value))
                    .Select(m => FlyJson.Machine(m, summary)).ToList());
            }
        });

        apps.MapGet("/machines/{id}", (string app, string id) =>
            fly.WithMachine(app, id, m => SandboxJson.Json(FlyJson.Machine(m))));

        apps.MapPost("/machines/{id}", async (string app, string id, HttpRequest request) =>
        {
            var (sent, refused) = await FlyJson.ReadMachineRequestAsync(request, fly);
            if (sent is not { Body: var body, Config: var config, Image: var image })
            {
                return refused!;
            }

            var nonce = request.Headers[NonceHeader].ToString();
            return fly.WithMachine(app, id, m =>
            {
                var now = DateTimeOffset.UtcNow;
                if (m.Lease is { } lease && lease.ExpiresAt > now && lease.Nonce != nonce)
                {
                    return FlyJson.Error(409, FlyJson.HeldBy(lease));
                }

                if (m.Destroyed)
                {
                    return FlyJson.Error(412, $"failed_precondition: machine {m.Id} is destroyed");
                }

                if (body.GetString("current_version") is { } current && current != m.InstanceId)
                {
                    return FlyJson.Error(412, $"failed_precondition: machine version {m.InstanceId} does not match current_version {current}");
                }

                // The whole config is replaced; nothing is merged.
                var keepStopped = body.GetBool("skip_launch") == true && m.State == "stopped";
                m.Config = (JsonObject)config.DeepClone();
                m.Digest = fly.Registry.DigestOf(image);
                m.InstanceId = FlyIds.Ulid();
                m.UpdatedAt = now;
                m.Checks = [];
                m.State = keepStopped ? "stopped" : "replacing";
                m.StartsAt = keepStopped ? null : now + fly.Latency.MachineReplace;
                m.ChecksPassAt = keepStopped ? null : now + fly.Latency.MachineReplace + fly.Latency.ChecksAfterStart;
                m.Events.Insert(0, new MachineEvent("update", keepStopped ? "stopped" : "replacing", "user", now));
                if (fly.FindApp(app) is { } appState)
                {
                    fly.ArmMainProcess(appState, m);
                }

                mutations.Record($"fly.update:{m.Id}:{image}");
                return SandboxJson.Json(FlyJson.Machine(m));
            });
        });

        // An operator's `fly machine stop`: the machine stays stopped until something starts or updates it.
        apps.MapPost("/machines/{id}/stop", (string app, string id, HttpRequest request) =>
        {
            var nonce = request.Headers[NonceHeader].ToString();
            return fly.WithMachine(app, id, m =>
            {
                var now = DateTimeOffset.UtcNow;
                if (m.Lease is { } lease && lease.ExpiresAt > now && lease.Nonce != nonce)
                {
                    return FlyJson.Error(409, FlyJson.HeldBy(lease));
                }

                if (m.Destroyed)
                {
                    return FlyJson.Error(412, $"failed_precondition: machine {m.Id} is destroyed");
                }

                m.State = "stopped";
                m.StartsAt = null;
                m.ChecksPassAt = null;
                m.UpdatedAt = now;
                m.Events.Insert(0, new MachineEvent("exit", "stopped", "user", now));
                mutations.Record($"fly.stop:{m.Id}");
                return SandboxJson.Json(new { ok = true });
            });
        });

        // `fly machine destroy`: a running machine only with force (kill in fly-go). A destroyed machine leaves the
        // list but still answers GET, with state destroyed.
        apps.MapDelete("/machines/{id}", (string app, string id, HttpRequest request) =>
        {
            if (fly.FindApp(app) is not { } state)
            {
                return FlyJson.MachineNotFound();
            }

            var nonce = request.Headers[NonceHeader].ToString();
            var force = IsTrue(request.Query["force"]) || IsTrue(request.Query["kill"]);
            lock (state.Gate)
            {
                if (state.Machines.FirstOrDefault(m => m.Id == id) is not { } machine)
                {
                    return FlyJson.MachineNotFound();
                }

                var now = DateTimeOffset.UtcNow;
                FlyCloud.Advance(machine, now);
                if (machine.Lease is { } lease && lease.ExpiresAt > now && lease.Nonce != nonce)
                {
                    return FlyJson.Error(409, FlyJson.HeldBy(lease));
                }

                if (!force && machine.State is not ("stopped" or "suspended" or "failed"))
                {
                    return FlyJson.Error(412, "failed_precondition: unable to destroy machine, not currently stopped, suspended, or failed");
                }

                if (machine.Destroyed)
                {
                    return FlyJson.MachineNotFound();
                }

                MachineLifecycle.Destroy(machine, now, "user");
                mutations.Record($"fly.destroy:{machine.Id}");
                return SandboxJson.Json(new { ok = true });
            }
        });

        apps.MapGet("/machines/{id}/wait", async (string app, string id, HttpRequest request, CancellationToken cancellationToken) =>
        {
            var state = request.Query["state"].ToString() is { Length: > 0 } st ? st : "started";
            if (!WaitStates.Contains(state))
            {
                return FlyJson.Error(400, $"invalid state \"{state}\"");
            }

            var timeout = ParseSeconds(request.Query["timeout"].ToString());
            if (timeout is null)
            {
                return FlyJson.Error(400, "invalid timeout");
            }

            var version = request.Query["instance_id"].ToString() is { Length: > 0 } i ? i : request.Query["version"].ToString();
            var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Clamp(timeout.Value, 1, 60));
            while (true)
            {
                switch (fly.HasReached(app, id, state, version))
                {
                    case null:
                        return FlyJson.MachineNotFound();
                    case true:
                        return SandboxJson.Json(new { ok = true });
                }

                if (DateTimeOffset.UtcNow >= deadline)
                {
                    return FlyJson.Error(408, $"deadline_exceeded: machine {id} did not reach state {state} in time");
                }

                await Task.Delay(10, cancellationToken);
            }
        });

        apps.MapCreate(fly, mutations);
        apps.MapLeases(fly, mutations);
        apps.MapExec(fly, mutations);
        apps.MapVolumes(fly, mutations);
        app.Map("/fly/{**rest}", () => FlyJson.Error(404, "not found"));
    }

    private static bool IsTrue(string? value) => bool.TryParse(value, out var flag) && flag;

    // Seconds as an integer, or a Go duration in seconds ("60s"); absent means the 60 s default.
    private static int? ParseSeconds(string value)
    {
        if (value.Length == 0)
        {
            return 60;
        }

        var number = value.EndsWith('s') ? value[..^1] : value;
        return int.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds) ? seconds : null;
    }
}
