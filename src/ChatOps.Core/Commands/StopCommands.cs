using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/cancel, and a stop to roll back a running release: carried out now under its lease, or stored for its runner.</summary>
public sealed class StopCommands(StopRules rules, LeaseKeeper leases, IReleaseStore releases, ReleaseEnd end, RollbacksAfterEnd rollbacks, ReleaseQueue queue,
    ChatOpsSettings settings, TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is CancelCommand;

    /// <summary>/cancel without an id cancels what runs in the default environment.</summary>
    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken)
    {
        if (((CancelCommand)command).ReleaseId is { } id)
            return BotReply.Of(await CancelAsync(id, sender.User, cancellationToken));
        var active = await releases.ListAsync(settings.DefaultEnvironment, activeOnly: true, limit: 1, cancellationToken);
        return active.Count == 0
            ? new BotReply($"Nothing is running in {settings.DefaultEnvironment}.", IsRefusal: true)
            : BotReply.Of(await CancelAsync(active[0].Id, sender.User, cancellationToken));
    }

    public async Task<Decision> CancelAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var current = await releases.GetAsync(releaseId, cancellationToken);
        if (rules.MayCancel(current, releaseId, user) is { } refusal)
            return Decision.No(refusal);
        try
        {
            // A short wait lets a moment's bookkeeping (a card edit, the sweep looking at a waiting release) finish.
            return await leases.HoldAsync(releaseId, async leased =>
            {
                var release = await releases.GetAsync(releaseId, cancellationToken);
                return rules.MayCancel(release, releaseId, user) is { } late
                    ? Decision.No(late)
                    : await CancelNowAsync(release!, user, leased);
            }, cancellationToken, busyAfter: TimeSpan.FromSeconds(1));
        }
        catch (LeaseHeldException held) when (current!.State == ReleaseState.NeedsAttention)
        {
            // No step runs in NeedsAttention (a stopped instance's hold is running out, or someone is resuming it):
            // a request left for the runner would be carried out after the point of no return as "too late".
            return Decision.No($"{held.Message} Nothing changed.");
        }
        catch (LeaseHeldException)
        {
            // A step of it is running, here or on another instance: leave the request where the runner will find it.
        }
        catch (LeaseLostException)
        {
            return Decision.No($"Another ChatOps instance took release #{releaseId} over while it was being cancelled; nothing changed. Try again.");
        }

        var running = current!.State;
        var stands = await releases.RequestCancelAsync(new AuditEvent(releaseId, current.Environment, user.Id, StopIntents.CancelAction, running.ToString(), null,
            $"cancel asked by {user} while {running} runs", clock.GetUtcNow()), cancellationToken);
        // If that step has already ended and nobody is advancing the release (it waits for approval), this picks the request up.
        queue.Enqueue(releaseId);
        // The first request stands: say what was kept, not what was asked.
        return stands switch
        {
            null => Decision.No($"An earlier stop of release #{releaseId} has just been carried out; nothing more was stored. /status {current.Environment} shows what runs now."),
            { RollsBack: true } when !Runbook.IsBeforePointOfNoReturn(current) => Decision.No(
                $"A rollback of release #{releaseId} asked by {stands.By} stands: it stops once {running} ends and rolls back what it moved. The cancel was not stored."),
            _ => Decision.Yes($"Cancelling release #{releaseId} once {running} ends."),
        };
    }

    private async Task<Decision> CancelNowAsync(Release release, ChatUser user, CancellationToken cancellationToken)
    {
        var from = release.State;
        release.CancelRequestedBy = user.Id;
        new ReleaseWorkflow(release).Cancel();
        await end.FinishAsync(release, user.Id, "cancel", from, $"cancelled by {user}", cancellationToken);
        return Decision.Yes($"Release #{release.Id} cancelled by {user}. Nothing was deployed.");
    }

    /// <summary>Asks the runner of a running release to stop at its next safe point and roll back; it never stops inside Migrate.</summary>
    public async Task<Decision> AbortAsync(Release running, bool withDatabase, ChatUser user, CancellationToken cancellationToken)
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
            queue.Run($"rollback of ended release {ended.Id}", stopping => rollbacks.RollBackStoppedAsync(ended, request, stopping));
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
            ? $"A stop of release #{running.Id} was already asked{(stands.At is { } at ? $" at {ChatTime.Minute(at)}" : "")} by {stands.By}, and the first request stands: "
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
}
