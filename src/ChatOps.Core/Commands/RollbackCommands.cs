using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/rollback, its confirmation's preview, --check, and the Roll back button: what a rollback goes back to, and whether it may start.</summary>
public sealed class RollbackCommands(AccessRules access, StopRules stopRules, IReleaseStore releases, IEnvironmentStore environments, RollbackStarter rollbacks,
    StopCommands stops, RunnerSettings runnerSettings, TimeProvider clock)
{
    /// <summary>
    /// A /rollback command: back to the last good release (or <paramref name="toTag"/>, released there before). While a
    /// release runs there, it is stopped at its next safe point and what it moved is rolled back. Allowed while the
    /// environment is locked: a rollback is the incident tool, and it says that it overrides the freeze.
    /// </summary>
    public async Task<Decision> StartRollbackAsync(string environment, string? toTag, bool withDatabase, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken)
    {
        if (access.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        var recent = await releases.ListAsync(environment, activeOnly: false, limit: 100, cancellationToken);
        if (recent.FirstOrDefault(r => r.IsActive) is { Kind: ReleaseKind.Release } running)
        {
            return toTag is null
                ? await stops.AbortAsync(running, withDatabase, user, cancellationToken)
                : Decision.No(RunningRefusal(running));
        }
        var request = new RollbackRequest(environment, toTag, withDatabase, user, channel, runnerSettings.BotVersion, clock.GetUtcNow());
        return Said(await rollbacks.RollBackAsync(null, request, recent, cancellationToken), await FreezeNoteAsync(environment, cancellationToken));
    }

    /// <summary>
    /// What a typed /rollback would do now, said before its second press is asked for: a rollback that would be refused
    /// is refused at once, not after the person has confirmed it. Changes nothing.
    /// </summary>
    public async Task<Decision> PreviewRollbackAsync(string environment, string? toTag, bool withDatabase, ChatUser user, CancellationToken cancellationToken)
    {
        if (access.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        var recent = await releases.ListAsync(environment, activeOnly: false, limit: 100, cancellationToken);
        var restore = withDatabase ? ", the database restored from its backup after an approver's approval" : "";
        var request = new RollbackRequest(environment, toTag, withDatabase, user, null, runnerSettings.BotVersion, clock.GetUtcNow());
        var locked = $", and {environment} stays locked until /unlock.";
        switch (recent.FirstOrDefault(r => r.IsActive))
        {
            case { Kind: ReleaseKind.Release } running when toTag is null:
                if (stopRules.MayStop(running, user) is { } notTheirs)
                    return Decision.No(notTheirs);
                if (RollbackPlanner.StopsWithoutRollback(running, await environments.GetAsync(environment, cancellationToken)) is { } stops)
                    return Decision.Yes(stops + ".");
                var stopping = RollbackPlanner.Plan(request, running, recent);
                var back = stopping.Rollback;
                return Decision.Yes($"Release #{running.Id} ({running.Tag}) stops at its next safe point and what it moved goes back{(back is null ? "" : $" to {back.Tag}")}{restore}{locked}"
                    + SchemaWarning(stopping, recent));
            case { Kind: ReleaseKind.Release } running:
                return Decision.No(RunningRefusal(running));
            case { } busy:
                return Decision.No($"{environment} is busy: rollback #{busy.Id} to {busy.Tag} by {busy.Requester} is at {Runbook.Label(busy.State.ToString())}. Wait for it.");
        }
        var plan = RollbackPlanner.Plan(request, null, recent);
        return plan.Rollback is { } rollback
            ? Decision.Yes($"{environment} goes back to {rollback.Tag} ({rollback.Outputs.RollbackReason}){restore}{locked}" + SchemaWarning(plan, recent))
            : Decision.No(plan.Refusal!);
    }

    // Warned, not refused: in an incident the operator may know those migrations are backward compatible, and the
    // restore still takes back the newest release's. The second press is asked for after this is said.
    private static string SchemaWarning(RollbackPlan plan, IReadOnlyList<Release> recent) =>
        plan.Rollback is { WithDatabase: true } && RollbackCheck.SchemaLeftByRestore(plan, recent) is { } left ? $"\n⚠️ {left}" : "";

    private static string RunningRefusal(Release running) =>
        $"Release #{running.Id} ({running.Tag}) is running in {running.Environment}. /rollback {running.Environment} without --to stops it at the next safe point and rolls back what it moved.";

    /// <summary>/rollback --check: what a rollback would do now and whether it is safe; changes nothing.</summary>
    public async Task<string> CheckRollbackAsync(string environment, string? toTag, bool withDatabase, ChatUser user, CancellationToken cancellationToken)
    {
        var recent = await releases.ListAsync(environment, activeOnly: false, limit: 100, cancellationToken);
        var request = new RollbackRequest(environment, toTag, withDatabase, user, null, runnerSettings.BotVersion, clock.GetUtcNow());
        return RollbackCheck.Summarize(request, null, recent, await environments.GetAsync(environment, cancellationToken), clock.GetUtcNow());
    }

    /// <summary>
    /// The Roll back button: on a running release's card it stops the release and rolls back what moved; on a failed
    /// release's card it rolls that release back, unless a newer change to the environment made the button stale.
    /// </summary>
    public async Task<Decision> RollBackByButtonAsync(ActionToken button, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if ((GateRules.MayPress(button, clock.GetUtcNow()) ?? access.MayRelease(user)) is { } refusal)
            return Decision.No(refusal);
        var release = await releases.GetAsync(button.ReleaseId, cancellationToken);
        if (release is null)
            return Decision.No($"There is no release #{button.ReleaseId}.");
        if (release.IsActive)
            return await stops.AbortAsync(release, withDatabase: false, user, cancellationToken);
        var recent = await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken);
        if (RollbackRules.IsStaleToRollBack(release, recent) is { } stale)
            return Decision.No(stale);
        var request = new RollbackRequest(release.Environment, null, false, user, release.Channel ?? channel, runnerSettings.BotVersion, clock.GetUtcNow());
        return Said(await rollbacks.RollBackAsync(release, request, recent, cancellationToken), await FreezeNoteAsync(release.Environment, cancellationToken));
    }

    private async Task<string> FreezeNoteAsync(string environment, CancellationToken cancellationToken) =>
        (await environments.GetAsync(environment, cancellationToken)).Lock is { } held && held.IsLive(clock.GetUtcNow())
            ? $" It overrides the freeze on {environment} (locked by {held.LockedBy}: {held.Reason})."
            : "";

    private static Decision Said(StartResult started, string freezeNote) => started.Release is { } rollback
        ? Decision.Yes($"Rollback #{rollback.Id} of {rollback.Environment} to {rollback.Tag} started: {rollback.Outputs.RollbackReason}."
            + (rollback.WithDatabase ? " The database restore waits for an approver." : "") + freezeNote)
        : Decision.No(started.Refusal!);
}
