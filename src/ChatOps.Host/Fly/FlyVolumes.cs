using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

// The Backup step in fly-snapshot mode: a snapshot of the app's volume, reused when an earlier attempt already took it.
internal sealed class FlyVolumes(FlyApi api, TimeProvider time)
{
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromMinutes(2);
    private static readonly string[] GoneVolumeStates = ["scheduling_destroy", "fork_cleanup", "waiting_for_detach", "pending_destroy", "destroying", "destroyed"];

    /// <summary>Fly lists a volume for a while after it is destroyed; such a volume cannot be snapshotted.</summary>
    public static bool IsGone(string? state) => state is not null && GoneVolumeStates.Contains(state);

    public async Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken)
    {
        using var client = api.Open();
        var volumes = await FlyApi.App(client, app, "volumes").CallJsonAsync<List<Volume>>(FlyApi.SystemName, HttpMethod.Get, null, cancellationToken);
        var volume = volumes.FirstOrDefault(v => !IsGone(v.State))
            ?? throw new InvalidOperationException($"{app} has no volume to snapshot.");

        var existing = await SnapshotsAsync(client, app, volume.Id, cancellationToken);
        // Fly reports whole seconds; a snapshot from the same second as the first attempt's start counts as its own.
        var since = reuseSince.AddTicks(-(reuseSince.Ticks % TimeSpan.TicksPerSecond));
        if (existing.Where(s => s.CreatedAt >= since).OrderByDescending(s => s.CreatedAt).FirstOrDefault() is { } taken)
            return taken.Id;
        var before = existing.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        using (await FlyApi.App(client, app, "volumes", volume.Id, "snapshots").SendAsync(FlyApi.SystemName, HttpMethod.Post, null, cancellationToken))
        {
            // The answer's body is not a stable contract (fly-go ignores it); the snapshot list is.
        }

        // Snapshots are taken asynchronously: the new one shows up in the list when it exists.
        var giveUp = time.GetUtcNow() + SnapshotWait;
        while (true)
        {
            var fresh = (await SnapshotsAsync(client, app, volume.Id, cancellationToken))
                .Where(s => !before.Contains(s.Id)).OrderByDescending(s => s.CreatedAt).FirstOrDefault();
            if (fresh is not null)
            {
                return fresh.Id;
            }

            if (time.GetUtcNow() >= giveUp)
            {
                throw new TimeoutException($"The snapshot of volume {volume.Id} ({app}) did not appear within {SnapshotWait.TotalMinutes:0} minutes.");
            }

            await Task.Delay(api.Options.PollInterval, time, cancellationToken);
        }
    }

    private static async Task<List<Snapshot>> SnapshotsAsync(IFlurlClient client, string app, string volumeId, CancellationToken cancellationToken) =>
        await FlyApi.App(client, app, "volumes", volumeId, "snapshots").CallJsonAsync<List<Snapshot>>(FlyApi.SystemName, HttpMethod.Get, null, cancellationToken);
}
