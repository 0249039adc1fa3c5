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

            if (await SandboxJson.ReadObjectAsync(request) is not { } body)
            {
                return FlyJson.Error(400, "invalid JSON body");
            }

            if (body["config"] is not JsonObject config || config.GetString("image") is not { Length: > 0 } image)
            {
                return FlyJson.Error(400, "invalid config: image is required");
            }

            if (!fly.Registry.IsPushed(image))
            {
                return FlyJson.UnknownImage(image);
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
