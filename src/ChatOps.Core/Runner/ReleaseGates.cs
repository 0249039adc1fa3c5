using ChatOps.Core.Releases;

namespace ChatOps.Core.Runner;

/// <summary>
/// The buttons a release gets as it moves, and who is called: Cancel at its start; Approve and Reject when its gate
/// opens, with the approvers called once that is saved; past the point of no return, Roll back instead of Cancel,
/// and the GitHub deployment begins.
/// </summary>
public sealed class ReleaseGates(ReleaseButtons buttons, ReleaseAnnouncer announcer, DeploymentLog deployments)
{
    public Task BeginAsync(Release release, CancellationToken cancellationToken) => buttons.OfferCancelAsync(release, cancellationToken);

    public Task OpenAsync(Release release, int attempt, CancellationToken cancellationToken) => buttons.OpenGateAsync(release, attempt, cancellationToken);

    /// <summary>After the open gate is saved, so the call never names a gate that a crash left unwritten.</summary>
    public Task OpenedAsync(Release release, CancellationToken cancellationToken) => announcer.GateOpenedAsync(release, cancellationToken);

    /// <summary>A watch's buttons: Mark faulty when it starts, Accept when it ends unable to judge (the release then waits for a person).</summary>
    public async Task WatchedAsync(Release release, bool firstTurn, bool asksAPerson, CancellationToken cancellationToken)
    {
        if (asksAPerson)
            await buttons.OfferAcceptAsync(release, cancellationToken);
        else if (firstTurn && release.Outputs.Bake is { } bake)
            await buttons.OfferMarkFaultyAsync(release, bake.Duration + TimeSpan.FromHours(1), cancellationToken);
    }

    /// <summary>
    /// From here production changes: the Cancel button goes, and the first time, a Roll back button comes, which
    /// stops the release at its next safe point and rolls back what it moved. The GitHub deployment begins here too,
    /// alongside the step: the caller applies it when the step ends.
    /// </summary>
    public async Task<Task<DeploymentStart>> PassPointOfNoReturnAsync(Release release, StepRecord record, CancellationToken cancellationToken)
    {
        await buttons.VoidAsync(release.Id, ReleaseButtons.CancelGate, cancellationToken);
        var deployment = deployments.BeginAsync(release, cancellationToken);
        var first = record.Attempts == 0 && !Runbook.RowsOf(release)
            .Any(r => !r.Cancellable && r.Name != record.Name && release.Steps.Any(s => s.Name == r.Name && s.Attempts > 0));
        if (first && release.Kind == ReleaseKind.Release)
            await buttons.OfferRollbackAsync(release, cancellationToken);
        return deployment;
    }
}
