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

    public async Task<StartResult> StartReleaseAsync(string environment, string tag, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (rules.MayRelease(user) is { } refusal)
            return StartResult.No(refusal);
        if (rules.MayStartRelease(user, environment, await environments.GetAsync(environment, cancellationToken), now) is { } locked)
            return StartResult.No(locked);
        var release = new Release
        {
            Kind = ReleaseKind.Release,
            Environment = environment,
            Tag = tag,
            Requester = user.Id,
            Channel = channel,
            State = Runbook.Start,
            BotVersion = runnerSettings.BotVersion,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await StartAsync(release, user, $"release {tag} requested", cancellationToken);
    }

    /// <summary>A /rollback command: the environment's latest change, or <paramref name="toTag"/>.</summary>
    public Task<StartResult> StartRollbackAsync(string environment, string? toTag, bool withDatabase, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken) =>
        rules.MayRelease(user) is { } refusal
            ? Task.FromResult(StartResult.No(refusal))
            : RollBackAsync(null, new RollbackRequest(environment, toTag, withDatabase, user, channel, runnerSettings.BotVersion, clock.GetUtcNow()), cancellationToken);

    /// <summary>The Roll back button of a failed release.</summary>
    public async Task<Decision> RollBackByButtonAsync(ActionToken button, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if ((ReleaseRules.MayPress(button, clock.GetUtcNow()) ?? rules.MayRelease(user)) is { } refusal)
            return Decision.No(refusal);
        var failed = await releases.GetAsync(button.ReleaseId, cancellationToken);
        if (failed is null)
            return Decision.No($"There is no release #{button.ReleaseId}.");
        var request = new RollbackRequest(failed.Environment, null, false, user, failed.Channel ?? channel, runnerSettings.BotVersion, clock.GetUtcNow());
        var started = await RollBackAsync(failed, request, cancellationToken);
        return started.Release is { } rollback
            ? Decision.Yes($"Rollback #{rollback.Id} of {failed.Environment} to {rollback.Tag} started by {user}.")
            : Decision.No(started.Refusal!);
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
            problem = (await RollBackAsync(failed, request, cancellationToken)).Refusal;
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

    private async Task<StartResult> RollBackAsync(Release? failed, RollbackRequest request, CancellationToken cancellationToken)
    {
        var recent = await releases.ListAsync(request.Environment, activeOnly: false, limit: 100, cancellationToken);
        var plan = RollbackPlanner.Plan(request, failed, recent);
        if (plan.Rollback is not { } rollback)
            return StartResult.No(plan.Refusal!);
        var started = await StartAsync(rollback, request.User,
            $"rollback to {rollback.Tag} requested{(request.WithDatabase ? " with database restore" : "")}", cancellationToken);
        if (started.Release is not null && plan.Undoes is { } bad)
            await LinkRollbackAsync(bad.Id, started.Release.Id, cancellationToken);
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
