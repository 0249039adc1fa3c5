using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Removes release migration machines nobody needs any more: the one of a release that just ended, and, on every sweep,
/// those of ended releases (a crash, a failed destroy) and of a gate left waiting so long that the machine would only
/// idle (the migration starts a new one).
/// </summary>
public sealed class MigrationMachineSweep(ReleasePorts ports, ChatOpsSettings settings, IReleaseStore releases, LeaseKeeper leases, TimeProvider clock,
    ILogger<MigrationMachineSweep> log)
{
    /// <summary>How long a gate keeps its machine while nobody decides.</summary>
    public static readonly TimeSpan IdleGate = TimeSpan.FromMinutes(10);

    // A machine the store does not know yet may belong to a release being written right now.
    private static readonly TimeSpan Young = TimeSpan.FromMinutes(2);

    /// <summary>After a release ended (released, failed, cancelled, rejected): its machine goes now; a failure waits for the sweep.</summary>
    public async Task ReleaseEndedAsync(Release release, CancellationToken cancellationToken)
    {
        if (release.Kind != ReleaseKind.Release || !settings.Environments.TryGetValue(release.Environment, out var environment) || environment.Migrations.App.Length == 0)
            return;
        try
        {
            await ports.DeployTarget.DestroyMigrationMachinesAsync(environment.Migrations.App, release.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("The migration machine of release {ReleaseId} in {App} was not destroyed ({Error}); the sweep tries again", release.Id, environment.Migrations.App, e.Message);
        }
    }

    public async Task SweepAsync(CancellationToken cancellationToken)
    {
        foreach (var app in settings.Environments.Values.Select(e => e.Migrations.App).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal))
        {
            IReadOnlyList<MigrationMachine> machines;
            try
            {
                machines = await ports.DeployTarget.ListMigrationMachinesAsync(app, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning("Could not list the migration machines of {App}: {Error}", app, e.Message);
                continue;
            }
            foreach (var machine in machines)
                await SweepAsync(machine, cancellationToken);
        }
    }

    private async Task SweepAsync(MigrationMachine machine, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var release = await releases.GetAsync(machine.ReleaseId, cancellationToken);
        try
        {
            if (release is null ? machine.CreatedAt is { } created && now - created > Young : Runbook.IsFinished(release.State))
            {
                log.LogInformation("Destroying migration machine {MachineId} of {App}: release {ReleaseId} has ended", machine.Id, machine.App, machine.ReleaseId);
                await ports.DeployTarget.DestroyMigrationMachinesAsync(machine.App, machine.ReleaseId, cancellationToken);
            }
            else if (release is { State: ReleaseState.AwaitApproval } && IsIdle(release, now))
            {
                // Under the release's lease, so an approval that moves it to Migrate meanwhile never meets a machine going away.
                await leases.HoldAsync(release.Id, async leased =>
                {
                    if (await releases.GetAsync(release.Id, leased) is { State: ReleaseState.AwaitApproval } still && IsIdle(still, clock.GetUtcNow()))
                    {
                        log.LogInformation("Destroying migration machine {MachineId} of {App}: release {ReleaseId} has waited at its approval since {Since}",
                            machine.Id, machine.App, still.Id, GateOpenedAt(still));
                        await ports.DeployTarget.DestroyMigrationMachinesAsync(machine.App, machine.ReleaseId, leased);
                    }
                    return true;
                }, cancellationToken, busyAfter: TimeSpan.Zero);
            }
        }
        catch (LeaseHeldException)
        {
            // Someone is moving the release right now; the next sweep looks again.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.LogWarning("Could not destroy migration machine {MachineId} of {App}: {Error}", machine.Id, machine.App, e.Message);
        }
    }

    private static bool IsIdle(Release release, DateTimeOffset now) => GateOpenedAt(release) is { } opened && now - opened > IdleGate;

    private static DateTimeOffset? GateOpenedAt(Release release) =>
        release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep)?.FinishedAt;
}
