using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Steps;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Decisions;

/// <summary>Starting releases and rollbacks: who may, whether the environment allows it now, and what a rollback goes back to.</summary>
public sealed class StartDecisions(
    ReleaseRules rules,
    ChatOps.Core.Settings.ChatOpsSettings settings,
    IReleaseStore releases,
    IEnvironmentStore environments,
    LeaseKeeper leases,
    ReleaseRecorder recorder,
    ReleaseButtons buttons,
    ReleaseQueue queue,
    RunnerSettings runnerSettings,
    TimeProvider clock,
    ILogger<StartDecisions> log)
{
    /// <summary>The actor of a rollback the bot starts on its own.</summary>
    public static readonly ChatUser AutoRollback = new("chatops:auto-rollback");

    /// <param name="skipPromotion">An approver's reason to release without the promotion rule (--skip-promotion); null keeps the rule.</param>
    /// <param name="privateChat">Asked for in a one-to-one chat with the bot, where no approver sees the card.</param>
    public async Task<StartResult> StartReleaseAsync(string environment, string tag, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken,
        string? skipPromotion = null, bool privateChat = false)
    {
        var now = clock.GetUtcNow();
        if (rules.MayRelease(user) is { } refusal)
            return StartResult.No(refusal);
        if (rules.MayStartRelease(user, environment, await environments.GetAsync(environment, cancellationToken), now) is { } locked)
            return StartResult.No(locked);
        var source = settings.Environments.TryGetValue(environment, out var target) && target.PromoteFrom.Length > 0 && skipPromotion is null
            ? await releases.ListAsync(target.PromoteFrom, activeOnly: false, limit: 200, cancellationToken)
            : [];
        var promotion = rules.Promotion(environment, tag, user, skipPromotion, source, now);
        if (promotion?.Refusal is { } notYet)
            return StartResult.No(notYet);
        var release = new Release
        {
            Kind = ReleaseKind.Release,
            Environment = environment,
            Tag = tag,
            Requester = user.Id,
            Channel = channel,
            PrivateChat = privateChat,
            State = Runbook.Start,
            BotVersion = runnerSettings.BotVersion,
            CreatedAt = now,
            UpdatedAt = now,
        };
        release.Outputs.Promotion = promotion?.Promotion;
        var detail = promotion?.Promotion switch
        {
            { SkippedBy: { } by } p => $"release {tag} requested, promotion from {p.From} skipped by {by}: {p.SkipReason}",
            { SourceReleaseId: { } id } p => $"release {tag} requested, promoted from {p.From} release #{id}",
            _ => $"release {tag} requested",
        };
        return await StartAsync(release, user, detail, cancellationToken);
    }

    /// <summary>
    /// A /rollback command: back to the last good release (or <paramref name="toTag"/>, released there before). While a
    /// release runs there, it is stopped at its next safe point and what it moved is rolled back. Allowed while the
    /// environment is locked: a rollback is the incident tool, and it says that it overrides the freeze.
    /// </summary>
    public async Task<Decision> StartRollbackAsync(string environment, string? toTag, bool withDatabase, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken)
    {
        if (rules.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        var recent = await releases.ListAsync(environment, activeOnly: false, limit: 100, cancellationToken);
        if (recent.FirstOrDefault(r => r.IsActive) is { Kind: ReleaseKind.Release } running)
        {
            return toTag is null
                ? await AbortAsync(running, withDatabase, user, cancellationToken)
                : Decision.No(RunningRefusal(running));
        }
        var request = new RollbackRequest(environment, toTag, withDatabase, user, channel, runnerSettings.BotVersion, clock.GetUtcNow());
        return Said(await RollBackAsync(null, request, recent, cancellationToken), await FreezeNoteAsync(environment, cancellationToken));
    }

    /// <summary>
    /// What a typed /rollback would do now, said before its second press is asked for: a rollback that would be refused
    /// is refused at once, not after the person has confirmed it. Changes nothing.
    /// </summary>
    public async Task<Decision> PreviewRollbackAsync(string environment, string? toTag, bool withDatabase, ChatUser user, CancellationToken cancellationToken)
    {
        if (rules.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        var recent = await releases.ListAsync(environment, activeOnly: false, limit: 100, cancellationToken);
        var restore = withDatabase ? ", the database restored from its backup after an approver's approval" : "";
        var request = new RollbackRequest(environment, toTag, withDatabase, user, null, runnerSettings.BotVersion, clock.GetUtcNow());
        var locked = $", and {environment} stays locked until /unlock.";
        switch (recent.FirstOrDefault(r => r.IsActive))
        {
            case { Kind: ReleaseKind.Release } running when toTag is null:
                if (rules.MayStop(running, user) is { } notTheirs)
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
                return Decision.No($"{environment} is busy: rollback #{busy.Id} to {busy.Tag} by {busy.Requester} is at {Cards.CardRenderer.Label(busy.State.ToString())}. Wait for it.");
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
        if ((ReleaseRules.MayPress(button, clock.GetUtcNow()) ?? rules.MayRelease(user)) is { } refusal)
            return Decision.No(refusal);
        var release = await releases.GetAsync(button.ReleaseId, cancellationToken);
        if (release is null)
            return Decision.No($"There is no release #{button.ReleaseId}.");
        if (release.IsActive)
            return await AbortAsync(release, withDatabase: false, user, cancellationToken);
        var recent = await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken);
        if (ReleaseRules.IsStaleToRollBack(release, recent) is { } stale)
            return Decision.No(stale);
        var request = new RollbackRequest(release.Environment, null, false, user, release.Channel ?? channel, runnerSettings.BotVersion, clock.GetUtcNow());
        return Said(await RollBackAsync(release, request, recent, cancellationToken), await FreezeNoteAsync(release.Environment, cancellationToken));
    }

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
            started = await RollBackAsync(stopped, rollback, recent, cancellationToken);
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

    /// <summary>Asks the runner of a running release to stop at its next safe point and roll back; it never stops inside Migrate.</summary>
    private async Task<Decision> AbortAsync(Release running, bool withDatabase, ChatUser user, CancellationToken cancellationToken)
    {
        if (rules.MayStop(running, user) is { } refusal)
            return Decision.No(refusal);
        var intent = withDatabase ? StopIntent.RollBackWithDatabase : StopIntent.RollBack;
        var stands = await releases.RequestCancelAsync(new AuditEvent(running.Id, running.Environment, user.Id, StopIntents.ActionOf(intent), running.State.ToString(), null,
            $"rollback asked by {user} while {running.State} runs", clock.GetUtcNow()), cancellationToken);
        // Picked up at the next step boundary, here or on the instance that runs it; a release waiting at its gate is picked up now.
        queue.Enqueue(running.Id);
        // It may have ended while this was asked (its last save): its runner then looks for the request once the end is
        // written, and this looks for the end once the request is written; whichever takes the request starts the rollback.
        if (await releases.GetAsync(running.Id, cancellationToken) is { IsActive: false, ChangedProduction: true, StopRequest: { RollsBack: true } request } ended
            && await releases.ClearCancelRequestAsync(running.Id, cancellationToken))
        {
            queue.Run($"rollback of ended release {ended.Id}", stopping => RollBackStoppedAsync(ended, request, stopping));
            return Decision.Yes($"Release #{running.Id} ended as this was asked; what it moved is being rolled back.");
        }
        return StopPromised(running, stands, intent, user);
    }

    /// <summary>
    /// The reply to a stop to roll back says what the store kept, not what was asked: the first request stands, so a
    /// later one (say, with --with-db after a plain /rollback) must not promise a database restore nobody will do.
    /// </summary>
    private static Decision StopPromised(Release running, StopRequest? stands, StopIntent asked, ChatUser user)
    {
        if (stands is null)
            return Decision.No($"An earlier stop of release #{running.Id} has just been carried out; nothing more was stored. /status {running.Environment} shows what runs now.");
        if (Runbook.IsBeforePointOfNoReturn(running))
            return Decision.Yes($"Release #{running.Id} had changed nothing yet: it is cancelled, and there is nothing to roll back.");
        var earlier = stands.By != user.Id || stands.Intent != asked
            ? $"A stop of release #{running.Id} was already asked{(stands.At is { } at ? $" at {Chat.ChatTime.Minute(at)}" : "")} by {stands.By}, and the first request stands: "
            : "";
        if (!stands.RollsBack)
            return Decision.No($"{earlier}it cancels the release, and past the point of no return that comes too late and rolls nothing back. "
                + $"Once it has been said too late, /rollback {running.Environment} again.");
        var then = stands.Intent == StopIntent.RollBackWithDatabase
            ? "rolls back what it moved, the database after its own approval"
            : asked == StopIntent.RollBackWithDatabase
                ? "rolls back the machines it moved, without the database (--with-db was not added to it)"
                : "rolls back the machines it moved";
        return Decision.Yes(earlier + running.State switch
        {
            ReleaseState.Migrate => $"Release #{running.Id} is migrating the database; a migration is never cut off. It stops when Migrate ends, then {then}.",
            ReleaseState.Deploy => $"Release #{running.Id} stops now (a machine still waiting to turn healthy is not waited for), then {then}.",
            _ => $"Release #{running.Id} stops when {running.State} ends, then {then}.",
        });
    }

    private async Task<string> FreezeNoteAsync(string environment, CancellationToken cancellationToken) =>
        (await environments.GetAsync(environment, cancellationToken)).Lock is { } held && held.IsLive(clock.GetUtcNow())
            ? $" It overrides the freeze on {environment} (locked by {held.LockedBy}: {held.Reason})."
            : "";

    private static Decision Said(StartResult started, string freezeNote) => started.Release is { } rollback
        ? Decision.Yes($"Rollback #{rollback.Id} of {rollback.Environment} to {rollback.Tag} started: {rollback.Outputs.RollbackReason}."
            + (rollback.WithDatabase ? " The database restore waits for an approver." : "") + freezeNote)
        : Decision.No(started.Refusal!);

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
            problem = (await RollBackAsync(failed, request, recent, cancellationToken)).Refusal;
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

    private async Task<StartResult> RollBackAsync(Release? failed, RollbackRequest request, IReadOnlyList<Release> recent, CancellationToken cancellationToken)
    {
        var plan = RollbackPlanner.Plan(request, failed, recent);
        if (plan.Rollback is not { } rollback)
            return StartResult.No(plan.Refusal!);
        var started = await StartAsync(rollback, request.User,
            $"rollback to {rollback.Tag} requested{(request.WithDatabase ? " with database restore" : "")}", cancellationToken);
        // In the background: the rolled-back release may still be held by its runner (GitHub answering its last
        // status can take minutes), and the rollback is started already; only its link waits for that.
        if (started.Release is { } linked && plan.Undoes is { } bad)
            queue.Run($"link of rollback {linked.Id} to release {bad.Id}", stopping => LinkRollbackAsync(bad.Id, linked.Id, stopping));
        return started;
    }

    /// <summary>Marks the rolled-back release with its rollback and takes its Roll back button away.</summary>
    private async Task LinkRollbackAsync(long badId, long rollbackId, CancellationToken cancellationToken)
    {
        try
        {
            await leases.HoldAsync(badId, async leased =>
            {
                if (await releases.GetAsync(badId, leased) is not { } stored)
                    return 0;
                stored.Outputs.RollbackReleaseId = rollbackId;
                await recorder.CheckpointAsync(stored, leased);
                await buttons.VoidAsync(stored.Id, ReleaseButtons.RollbackGate, leased);
                await recorder.PublishAsync(stored, leased);
                return 0;
            }, cancellationToken);
        }
        catch (Exception e) when (e is LeaseHeldException or LeaseLostException)
        {
            log.LogWarning("Could not mark release {ReleaseId} as rolled back by {RollbackId}: another instance holds it", badId, rollbackId);
        }
    }

    private async Task<StartResult> StartAsync(Release release, ChatUser user, string detail, CancellationToken cancellationToken)
    {
        var audit = new AuditEvent(null, release.Environment, user.Id, "request", null, release.State.ToString(), detail, release.CreatedAt);
        var outcome = await releases.TryStartAsync(release, audit, cancellationToken);
        if (outcome.Started is not { } started)
        {
            var holder = outcome.Holder!;
            return StartResult.No($"{release.Environment} is busy: {holder.Kind.ToString().ToLowerInvariant()} #{holder.Id} {holder.Tag} by {holder.Requester} is at {Cards.CardRenderer.Label(holder.State.ToString())}. Wait for it, or /cancel {holder.Id} while it is before migrations.");
        }
        log.LogInformation("{Kind} {ReleaseId} of {Tag} to {Environment} requested by {User}", started.Kind, started.Id, started.Tag, started.Environment, user.Id);
        queue.Enqueue(started.Id);
        return new StartResult(started, null);
    }
}
