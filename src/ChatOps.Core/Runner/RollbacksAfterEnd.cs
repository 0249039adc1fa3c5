using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// What follows a release's end once it is written: the rollback someone asked for while it ran, or the rollback its
/// environment wants after a failed check. Runs in the background; a rollback that cannot start is said on the card.
/// </summary>
public sealed class RollbacksAfterEnd(RollbackRules rules, IReleaseStore releases, LeaseKeeper leases, ReleaseRecorder recorder, RollbackStarter rollbacks,
    RunnerSettings runnerSettings, TimeProvider clock, ILogger<RollbacksAfterEnd> log)
{
    /// <summary>The actor of a rollback the bot starts on its own.</summary>
    public static readonly ChatUser AutoRollback = new("chatops:auto-rollback");

    /// <summary>
    /// After a release was stopped to roll back (on whichever instance ran it): roll back what it moved. Runs in the
    /// background, as the stopped release is still held by its runner; a refusal is said on its card.
    /// </summary>
    public async Task RollBackStoppedAsync(Release stopped, StopRequest request, CancellationToken cancellationToken)
    {
        var user = new ChatUser(request.By);
        var rollback = new RollbackRequest(stopped.Environment, null, request.Intent == StopIntent.RollBackWithDatabase, user, stopped.Channel,
            runnerSettings.BotVersion, clock.GetUtcNow());
        StartResult started;
        try
        {
            var recent = await releases.ListAsync(stopped.Environment, activeOnly: false, limit: 100, cancellationToken);
            started = await rollbacks.RollBackAsync(stopped, rollback, recent, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nobody waits on this background work: as with an auto-rollback, unless it is said here production stays as it is in silence.
            log.LogError(e, "Rollback of stopped release {ReleaseId} in {Environment} could not start", stopped.Id, stopped.Environment);
            started = StartResult.No("it failed with an error (the bot's log has the details)");
        }
        await SettleRollbackAskedAsync(stopped.Id, cancellationToken);
        await recorder.SayAsync(stopped, started.Release is { } r
            ? $"Release #{stopped.Id} stopped at a safe point; rollback #{r.Id} to {r.Tag} started by {user}."
            : $"⚠️ Release #{stopped.Id} stopped at a safe point, but its rollback could not start: {started.Refusal?.TrimEnd('.')}. Roll back by hand: /rollback {stopped.Environment}",
            cancellationToken);
    }

    /// <summary>The stopped release's rollback was tried, started or not: a restart does not try it again.</summary>
    private async Task SettleRollbackAskedAsync(long stoppedId, CancellationToken cancellationToken)
    {
        try
        {
            await leases.HoldAsync(stoppedId, async leased =>
            {
                if (await releases.GetAsync(stoppedId, leased) is not { Outputs.RollbackAsked: not null } stored)
                    return 0;
                stored.Outputs.RollbackAsked = null;
                await recorder.CheckpointAsync(stored, leased);
                return 0;
            }, cancellationToken);
        }
        catch (Exception e) when (e is LeaseHeldException or LeaseLostException)
        {
            // Its rollback is linked already when one started; otherwise the next instance's look may say the refusal once more.
            log.LogWarning("Could not settle the rollback asked of release {ReleaseId}: another instance holds it", stoppedId);
        }
    }

    /// <summary>A release that failed its checks after changing production rolls itself back when its environment says so; a refusal is said on its card.</summary>
    public async Task AutoRollBackIfDueAsync(Release failed, ReleaseState failedAt, CancellationToken cancellationToken)
    {
        if (!rules.ShouldAutoRollback(failed, failedAt))
            return;
        var request = new RollbackRequest(failed.Environment, null, false, AutoRollback, failed.Channel, runnerSettings.BotVersion, clock.GetUtcNow());
        string? problem;
        try
        {
            var recent = await releases.ListAsync(failed.Environment, activeOnly: false, limit: 100, cancellationToken);
            problem = (await rollbacks.RollBackAsync(failed, request, recent, cancellationToken)).Refusal;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Nobody waits on this background work: unless it is logged and said here, production stays broken in silence.
            log.LogError(e, "Auto-rollback of release {ReleaseId} in {Environment} could not start", failed.Id, failed.Environment);
            problem = "it failed with an error (the bot's log has the details)";
        }
        if (problem is not null)
            await recorder.SayAsync(failed, $"⚠️ Auto-rollback of #{failed.Id} could not start: {problem}. Roll back by hand: /rollback {failed.Environment}", cancellationToken);
    }
}
