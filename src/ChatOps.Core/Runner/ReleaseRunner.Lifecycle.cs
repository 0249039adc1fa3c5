using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>Starting releases and rollbacks, expiring approvals, and picking up after a restart.</summary>
public sealed partial class ReleaseRunner
{
    public async Task<StartResult> StartReleaseAsync(string environment, string tag, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var release = new Release
        {
            Kind = ReleaseKind.Release,
            Environment = environment,
            Tag = tag,
            Requester = user.Id,
            Channel = channel,
            State = ReleaseState.Requested,
            BotVersion = runnerSettings.BotVersion,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return await StartAsync(release, user, $"release {tag} requested", cancellationToken);
    }

    public async Task<StartResult> StartRollbackAsync(Release? failed, string? environment, string? toTag, bool withDatabase, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken)
    {
        environment ??= failed?.Environment ?? settings.DefaultEnvironment;
        var recent = await releases.ListAsync(environment, activeOnly: false, limit: 100, cancellationToken);
        var bad = failed ?? recent.FirstOrDefault(r => r.Kind == ReleaseKind.Release && r.ChangedProduction);
        if (bad is null && toTag is null)
            return StartResult.No($"Nothing to roll back in {environment}: no release has changed it. /rollback {environment} --to <tag> redeploys a given tag.");
        if (toTag is null && bad!.Outputs.RollbackReleaseId is { } done && recent.Any(r => r.Id == done && r.State == ReleaseState.RolledBack))
            return StartResult.No($"Release #{bad.Id} ({bad.Tag}) was already rolled back by #{done}. /rollback {environment} --to <tag> picks another tag.");
        var target = toTag ?? bad!.PreviousTag;
        if (target is null)
            return StartResult.No($"I don't know what ran before release #{bad!.Id}; say /rollback {environment} --to <tag>.");
        if (withDatabase && bad?.Outputs.Backup is null)
            return StartResult.No($"No backup is recorded for {(bad is null ? environment : $"release #{bad.Id}")}, so --with-db cannot restore anything.");

        if (withDatabase && bad!.Outputs.Backup!.Kind == "fly-snapshot")
        {
            var snapshot = bad.Outputs.Backup.Location;
            return StartResult.No($"The backup of #{bad.Id} is Fly volume snapshot {snapshot}; restoring it is a provider-side operation: "
                + $"`fly volumes create <name> --snapshot-id {snapshot} -a <app>`, then point the database machine at the new volume. "
                + $"/rollback {environment} without --with-db rolls the images back.");
        }

        var now = clock.GetUtcNow();
        var rollback = new Release
        {
            Kind = ReleaseKind.Rollback,
            Environment = environment,
            Tag = target,
            PreviousTag = bad?.Tag,
            Requester = user.Id,
            Channel = channel ?? failed?.Channel,
            State = ReleaseState.Requested,
            WithDatabase = withDatabase,
            RollbackOf = bad?.Id,
            BotVersion = runnerSettings.BotVersion,
            CreatedAt = now,
            UpdatedAt = now,
        };
        rollback.Outputs.Backup = withDatabase ? bad?.Outputs.Backup : null;
        var source = toTag is null ? bad : recent.FirstOrDefault(r => r.Kind == ReleaseKind.Release && r.State == ReleaseState.Released && r.Tag == toTag);
        foreach (var machine in source?.Outputs.Machines ?? [])
        {
            var image = toTag is null ? machine.Before : machine.After;
            if (!string.IsNullOrEmpty(image))
                rollback.Outputs.RollbackTargets.TryAdd(machine.Service, image);
        }

        var started = await StartAsync(rollback, user, $"rollback to {target} requested{(withDatabase ? " with database restore" : "")}", cancellationToken);
        if (started.Release is not null && bad is not null)
            await LinkRollbackAsync(bad.Id, started.Release.Id, now, cancellationToken);
        return started;
    }

    /// <summary>Marks the rolled-back release with its rollback and takes its Roll back button away.</summary>
    private async Task LinkRollbackAsync(long badId, long rollbackId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await WithReleaseAsync(badId, async (stored, leased) =>
            {
                if (stored is null)
                    return 0;
                stored.Outputs.RollbackReleaseId = rollbackId;
                await releases.SaveAsync(stored, null, runnerSettings.Owner, leased);
                await approvals.VoidAsync(stored.Id, "rollback", now, leased);
                await PublishCardAsync(stored, leased);
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
            return StartResult.No($"{release.Environment} is busy: {holder.Kind.ToString().ToLowerInvariant()} #{holder.Id} {holder.Tag} by {holder.Requester} is at {CardsLabel(holder)}. Wait for it, or /cancel {holder.Id} while it is before migrations.");
        }
        log.LogInformation("{Kind} {ReleaseId} of {Tag} to {Environment} requested by {User}", started.Kind, started.Id, started.Tag, started.Environment, user.Id);
        Enqueue(started.Id);
        return new StartResult(started, null);
    }

    private static string CardsLabel(Release release) => Cards.CardRenderer.Label(release.State.ToString());

    /// <summary>An approval nobody decided in time cancels the release (the tag and backup stay).</summary>
    public async Task ExpireApprovalsAsync(CancellationToken cancellationToken)
    {
        foreach (var waiting in await releases.ListAsync(null, activeOnly: true, limit: 1000, cancellationToken))
        {
            if (waiting.State != ReleaseState.AwaitApproval)
                continue;
            await DecideUnderLeaseAsync(waiting.Id, async release =>
            {
                var gate = release?.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.AwaitApproval));
                if (release is null || release.State != ReleaseState.AwaitApproval || gate?.Status != StepStatus.Waiting)
                    return Decision.No("not waiting");
                var open = await approvals.OpenAsync(release.Id, clock.GetUtcNow(), cancellationToken);
                if (open.Any(t => t.Action == CardAction.Approve))
                    return Decision.No("still open");
                gate.Status = StepStatus.Failed;
                gate.Detail = $"nobody approved within {settings.Access.ApprovalTimeout}";
                new ReleaseWorkflow(release).Expire();
                await FinishAsync(release, System, "expire", ReleaseState.AwaitApproval, gate.Detail, cancellationToken);
                return Decision.Yes("expired");
            }, cancellationToken);
        }
    }

    /// <summary>
    /// At start-up and on every sweep: take over each unfinished release whose lease is free or expired —
    /// after a restart, or when the instance that ran it died.
    /// </summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await leases.UnclaimedAsync(clock.GetUtcNow(), cancellationToken))
            Enqueue(id);
    }

    /// <summary>
    /// A step still marked running when its release is claimed was cut off by a crash. Most steps are safe to
    /// run again; one that cannot tell whether its outside action happened (migrations, a database restore)
    /// stops in NeedsAttention for a human instead. True when the release stopped there.
    /// </summary>
    private async Task<bool> RepairInterruptedAsync(Release release, CancellationToken cancellationToken)
    {
        var running = release.Steps.FirstOrDefault(s => s.Status == StepStatus.Running);
        if (running is null)
            return false;
        var unsafeToRepeat = running.Name is nameof(ReleaseState.Migrate) or ChatOps.Core.Steps.RollbackSteps.Restore;
        var workflow = new ReleaseWorkflow(release);
        if (!unsafeToRepeat || !workflow.CanInterrupt)
        {
            log.LogInformation("Resuming release {ReleaseId} at {Step} after an interruption", release.Id, running.Name);
            return false;
        }
        var from = release.State;
        running.Status = StepStatus.Failed;
        running.Detail = "cut off by a restart";
        workflow.Interrupt($"the bot stopped while {running.Name} was running; it may or may not have finished.");
        await SaveAsync(release, System, "needs-attention", from, release.Error!, cancellationToken);
        return true;
    }
}

public sealed record StartResult(Release? Release, string? Refusal)
{
    public static StartResult No(string refusal) => new(null, refusal);
}
