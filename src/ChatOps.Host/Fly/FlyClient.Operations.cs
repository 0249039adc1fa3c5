using ChatOps.Core.Ports;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

public sealed partial class FlyClient
{
    private static readonly TimeSpan SnapshotWait = TimeSpan.FromMinutes(2);
    private static readonly string[] GoneVolumeStates = ["scheduling_destroy", "fork_cleanup", "waiting_for_detach", "pending_destroy", "destroying", "destroyed"];

    public async Task<ExecResult> ExecAsync(string app, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var client = Open();
        var text = string.Join(' ', command);
        var machine = (await ListAsync(client, app, cancellationToken)).Select(FlyMachineJson.Status)
            .Where(m => m.State == "started").OrderBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault()
            ?? throw new InvalidOperationException($"{app} has no started machine to run `{text}` in.");

        var seconds = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds));
        var unknown = $"`{text}` on machine {machine.Id} of {app} may still be running or may have finished; check (e.g. `alembic current`) before running it again.";
        try
        {
            // Not retried on 5xx or timeouts: the command may have run; only a 429 is safe to repeat.
            using var response = await Machine(client, app, machine.Id, "exec")
                .OnlyRetryRateLimits()
                .WithAttemptTimeout(timeout + WaitGrace)
                .SendAsync(SystemName, HttpMethod.Post, new ExecRequest(command, seconds), cancellationToken, 408);
            if (response.StatusCode == 408)
            {
                throw new OutcomeUnknownException($"Fly gave up waiting after {seconds} s. {unknown}");
            }

            var result = await response.ReadJsonAsync<ExecResponse>(SystemName);
            return new ExecResult(result.ExitCode ?? 0, result.Stdout ?? "", result.Stderr ?? "");
        }
        catch (OutsideCallException ex) when (ex.TimedOut || ex.StatusCode >= 500 || ex.StatusCode is null && !ex.NeverSent)
        {
            throw new OutcomeUnknownException($"{ex.Message}. {unknown}", ex);
        }
    }

    public async Task<string> SnapshotVolumeAsync(string app, DateTimeOffset reuseSince, CancellationToken cancellationToken)
    {
        using var client = Open();
        var volumes = await App(client, app, "volumes").CallJsonAsync<List<Volume>>(SystemName, HttpMethod.Get, null, cancellationToken);
        var volume = volumes.FirstOrDefault(v => v.State is null || !GoneVolumeStates.Contains(v.State))
            ?? throw new InvalidOperationException($"{app} has no volume to snapshot.");

        var existing = await SnapshotsAsync(client, app, volume.Id, cancellationToken);
        // Fly reports whole seconds; a snapshot from the same second as the first attempt's start counts as its own.
        var since = reuseSince.AddTicks(-(reuseSince.Ticks % TimeSpan.TicksPerSecond));
        if (existing.Where(s => s.CreatedAt >= since).OrderByDescending(s => s.CreatedAt).FirstOrDefault() is { } taken)
            return taken.Id;
        var before = existing.Select(s => s.Id).ToHashSet(StringComparer.Ordinal);
        using (await App(client, app, "volumes", volume.Id, "snapshots").SendAsync(SystemName, HttpMethod.Post, null, cancellationToken))
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

            await Task.Delay(_options.PollInterval, time, cancellationToken);
        }
    }

    private static async Task<List<Snapshot>> SnapshotsAsync(IFlurlClient client, string app, string volumeId, CancellationToken cancellationToken) =>
        await App(client, app, "volumes", volumeId, "snapshots").CallJsonAsync<List<Snapshot>>(SystemName, HttpMethod.Get, null, cancellationToken);
}
