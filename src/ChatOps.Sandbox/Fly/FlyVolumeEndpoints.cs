namespace ChatOps.Sandbox;

internal static class FlyVolumeEndpoints
{
    public static void MapVolumes(this RouteGroupBuilder apps, FlyCloud fly, MutationLog mutations)
    {
        apps.MapGet("/volumes", (string app) =>
            fly.FindApp(app) is { } state
                ? Locked(state, () => SandboxJson.Json(state.Volumes.Select(FlyJson.Volume).ToList()))
                : FlyJson.Error(404, "app not found"));

        apps.MapGet("/volumes/{volumeId}", (string app, string volumeId) =>
            WithVolume(fly, app, volumeId, (_, v) => SandboxJson.Json(FlyJson.Volume(v))));

        // Fly keeps a destroyed volume in the app's list for a while, in pending_destroy; clients must read it as gone.
        apps.MapDelete("/volumes/{volumeId}", (string app, string volumeId) =>
            WithVolume(fly, app, volumeId, (_, v) =>
            {
                v.State = "pending_destroy";
                mutations.Record("fly.volume-destroy:" + v.Id);
                return SandboxJson.Json(FlyJson.Volume(v));
            }));

        apps.MapGet("/volumes/{volumeId}/snapshots", (string app, string volumeId) =>
            WithVolume(fly, app, volumeId, (_, v) =>
            {
                var now = DateTimeOffset.UtcNow;
                return SandboxJson.Json(v.Snapshots.Where(s => s.VisibleAt <= now).Select(s => FlyJson.Snapshot(s, v.SizeGb)).ToList());
            }));

        // Snapshots are asynchronous: the new one shows up in the list only after the configured delay.
        apps.MapPost("/volumes/{volumeId}/snapshots", (string app, string volumeId) =>
            WithVolume(fly, app, volumeId, (_, v) =>
            {
                var now = DateTimeOffset.UtcNow;
                var snapshot = new FlySnapshot(FlyIds.SnapshotId(), 36_007_729 + v.Snapshots.Count * 4096, SandboxJson.RandomHex(32) + "-1", now, now + fly.Delay);
                v.Snapshots.Add(snapshot);
                mutations.Record("fly.snapshot:" + v.Id);
                return SandboxJson.Json(new
                {
                    Msg = new
                    {
                        backup = new
                        {
                            id = (85999 + v.Snapshots.Count).ToString(System.Globalization.CultureInfo.InvariantCulture),
                            state = "prepare",
                            type = "BACKUP_TYPE_ON_DEMAND",
                            graph_id = snapshot.Id,
                            created_at = SandboxJson.Iso(now),
                        },
                    },
                });
            }));
    }

    private static IResult Locked(FlyAppState state, Func<IResult> action)
    {
        lock (state.Gate)
        {
            return action();
        }
    }

    private static IResult WithVolume(FlyCloud fly, string app, string volumeId, Func<FlyAppState, FlyVolume, IResult> action)
    {
        if (fly.FindApp(app) is not { } state)
        {
            return FlyJson.Error(404, "app not found");
        }

        lock (state.Gate)
        {
            return state.Volumes.FirstOrDefault(v => v.Id == volumeId) is { } volume
                ? action(state, volume)
                : FlyJson.Error(404, "volume not found");
        }
    }
}
