using ChatOps.Core.Releases;

namespace ChatOps.Core.Runner;

/// <summary>
/// After a release's end is written: its migration machine goes, and its GitHub deployment is ended. The environment
/// is free, and a rollback over, the moment the card says so, however long GitHub takes; a crash in between leaves
/// the GitHub deployment in progress, which is bookkeeping only.
/// </summary>
public sealed class EndBookkeeping(MigrationMachineSweep migrationMachines, DeploymentLog deployments, ReleaseRecorder recorder)
{
    public async Task AfterEndAsync(Release release, CancellationToken cancellationToken)
    {
        await migrationMachines.ReleaseEndedAsync(release, cancellationToken);
        if (await deployments.EndAsync(release, cancellationToken))
        {
            await recorder.CheckpointAsync(release, cancellationToken);
            await recorder.PublishAsync(release, cancellationToken);
        }
    }
}
