using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// Runbook §3: a backup of the target database before any migration. Meanwhile the release's migration machine is asked
/// for, so that its start overlaps the backup instead of adding to the wait before the approval card.
/// </summary>
public sealed class BackupStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Backup;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        if (release.Outputs.Backup is { } done)
            return StepOutcome.Done(Describe(done));
        var since = release.Step(nameof(ReleaseState.Backup)).StartedAt ?? context.Clock.GetUtcNow();
        var machine = AskForMigrationMachineAsync(context, cancellationToken);
        var backup = await context.Ports.Database.BackupAsync(release.Environment, context.Environment, release.Tag, since, cancellationToken);
        await machine;
        release.Outputs.Backup = backup;
        return StepOutcome.Done(Describe(backup));
    }

    // Only a head start: the approval step finds the machine by its metadata (or makes it) and reports what fails.
    private static async Task AskForMigrationMachineAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Environment.Migrations.App.Length == 0 || context.Release.Kind != ReleaseKind.Release)
            return;
        try
        {
            var image = ReleaseMigrationMachine.ImageOf(context.Release, context.Environment);
            await context.Ports.DeployTarget.StartMigrationMachineAsync(context.Environment.Migrations.App, context.Release.Id, image, waitStarted: false, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Said again, with its cause, by the approval step that needs the machine.
        }
    }

    public static string Describe(BackupRecord backup) => backup.Kind switch
    {
        "fly-snapshot" => $"volume snapshot {backup.Location}",
        _ => $"{Path.GetFileName(backup.Location)} ({Size(backup.SizeBytes)}, sha256 {backup.Sha256?[..12]}…)",
    };

    private static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.#} KiB",
        _ => $"{bytes / (1024.0 * 1024):0.#} MiB",
    };
}
