using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// POST /apps/{app}/machines: a new machine on the image it names, e.g. a one-off machine that runs a release's
// migrations (reference §12). It starts after the profile's replace time, applied lazily like an update's.
internal static class FlyCreateEndpoints
{
    public static void MapCreate(this RouteGroupBuilder apps, FlyCloud fly, MutationLog mutations)
    {
        apps.MapPost("/machines", async (string app, HttpRequest request) =>
        {
            if (fly.FindApp(app) is not { } state)
            {
                return FlyJson.Error(404, "app not found");
            }

            var (sent, refused) = await FlyJson.ReadMachineRequestAsync(request, fly);
            if (sent is not { Body: var body, Config: var config, Image: var image })
            {
                return refused!;
            }

            var now = DateTimeOffset.UtcNow;
            var launch = body.GetBool("skip_launch") != true;
            var machine = new FlyMachine
            {
                Id = FlyIds.MachineId(),
                Name = body.GetString("name") is { Length: > 0 } name ? name : FlyIds.MachineName(),
                Region = body.GetString("region") is { Length: > 0 } region ? region : "ord",
                PrivateIp = FlyIds.PrivateIp(),
                CreatedAt = now,
                UpdatedAt = now,
                InstanceId = FlyIds.Ulid(),
                Config = (JsonObject)config.DeepClone(),
                Digest = fly.Registry.DigestOf(image),
                State = launch ? "created" : "stopped",
                StartsAt = launch ? now + fly.Latency.MachineReplace : null,
                ChecksPassAt = launch ? now + fly.Latency.MachineReplace + fly.Latency.ChecksAfterStart : null,
            };
            fly.ArmMainProcess(state, machine);
            machine.Events.Add(new MachineEvent("launch", "created", "user", now));
            lock (state.Gate)
            {
                state.Machines.Add(machine);
            }

            mutations.Record($"fly.create:{machine.Id}:{image}");
            return SandboxJson.Json(FlyJson.Machine(machine));
        });
    }
}
