using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §3: a backup of the target database before any migration.</summary>
public sealed class BackupStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Backup;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        if (release.Outputs.Backup is { } done)
            return StepOutcome.Done(Describe(done));
        var since = release.Step(nameof(ReleaseState.Backup)).StartedAt ?? context.Clock.GetUtcNow();
        var backup = await context.Ports.Database.BackupAsync(release.Environment, context.Environment, release.Tag, since, cancellationToken);
        release.Outputs.Backup = backup;
        return StepOutcome.Done(Describe(backup));
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
