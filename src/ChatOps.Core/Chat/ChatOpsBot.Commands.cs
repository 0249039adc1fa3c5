using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;

namespace ChatOps.Core.Chat;

public sealed partial class ChatOpsBot
{
    private async Task<BotReply> ReleaseAsync(ReleaseCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (_access.CanRelease(user) is { } refusal)
            return new BotReply(refusal, IsRefusal: true);
        if (command.DryRun)
            return new BotReply(await dryRun.PlanAsync(command.Environment, command.Tag.Value, cancellationToken));
        var now = clock.GetUtcNow();
        var state = await environments.GetAsync(command.Environment, cancellationToken);
        if (state.Lock is { } held && held.IsLive(now))
            return new BotReply($"{command.Environment} is locked by {held.LockedBy} since {held.At:yyyy-MM-dd HH:mm} UTC{Until(held)}: {held.Reason}. /unlock {command.Environment} when it is safe.", IsRefusal: true);
        var started = await runner.StartReleaseAsync(command.Environment, command.Tag.Value, user, channel, cancellationToken);
        return started.Release is { } release
            ? new BotReply($"Release #{release.Id} of {release.Tag} to {release.Environment} started. /cancel {release.Id} stops it before migrations.")
            : new BotReply(started.Refusal!, IsRefusal: true);
    }

    private async Task<BotReply> RollbackAsync(RollbackCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (_access.CanRelease(user) is { } refusal)
            return new BotReply(refusal, IsRefusal: true);
        var started = await runner.StartRollbackAsync(null, command.Environment, command.To?.Value, command.WithDatabase, user, channel, cancellationToken);
        return started.Release is { } rollback
            ? new BotReply($"Rollback #{rollback.Id} of {rollback.Environment} to {rollback.Tag} started{(rollback.WithDatabase ? "; the database restore waits for an approver" : "")}.")
            : new BotReply(started.Refusal!, IsRefusal: true);
    }

    private async Task<BotReply> CancelAsync(CancelCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        var id = command.ReleaseId;
        if (id is null)
        {
            var active = await releases.ListAsync(settings.DefaultEnvironment, activeOnly: true, limit: 1, cancellationToken);
            if (active.Count == 0)
                return new BotReply($"Nothing is running in {settings.DefaultEnvironment}.", IsRefusal: true);
            id = active[0].Id;
        }
        var decision = await runner.CancelAsync(id.Value, user, cancellationToken);
        return new BotReply(decision.Message, !decision.Accepted);
    }

    private async Task<BotReply> LockAsync(LockCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        if (!_access.IsReleaser(user) && !_access.IsApprover(user))
            return new BotReply($"{user} may not lock environments: only releasers and approvers can.", IsRefusal: true);
        // Whole milliseconds, as the stores keep them, so the lock that comes back compares equal when it is ours.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var requested = new EnvironmentLock(command.Environment, user.Id, command.Reason, now, command.For is { } f ? now + f : null);
        var held = await environments.LockAsync(requested, now, cancellationToken);
        if (held != requested)
            return new BotReply($"{command.Environment} is already locked by {held.LockedBy}{Until(held)}: {held.Reason}.", IsRefusal: true);
        await releases.AppendAsync(new AuditEvent(null, command.Environment, user.Id, "lock", null, null, command.Reason, now), cancellationToken);
        return new BotReply($"{command.Environment} locked by {user}{Until(held)}: {command.Reason}. Releases are refused until /unlock {command.Environment}.");
    }

    private async Task<BotReply> UnlockAsync(UnlockCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var state = await environments.GetAsync(command.Environment, cancellationToken);
        if (state.Lock is not { } held || !held.IsLive(now))
            return new BotReply($"{command.Environment} is not locked.");
        var own = string.Equals(held.LockedBy, user.Id, StringComparison.OrdinalIgnoreCase) || held.LockedBy.StartsWith("chatops:", StringComparison.Ordinal);
        if (!own && !(command.Force && _access.IsApprover(user)))
            return new BotReply($"{command.Environment} is locked by {held.LockedBy}: {held.Reason}. Only they can unlock it, or an approver with /unlock {command.Environment} --force.", IsRefusal: true);
        if (!_access.IsReleaser(user) && !_access.IsApprover(user))
            return new BotReply($"{user} may not unlock environments: only releasers and approvers can.", IsRefusal: true);
        await environments.UnlockAsync(command.Environment, cancellationToken);
        await releases.AppendAsync(new AuditEvent(null, command.Environment, user.Id, own ? "unlock" : "unlock-forced", null, null, $"lock by {held.LockedBy}: {held.Reason}", now), cancellationToken);
        return new BotReply($"{command.Environment} unlocked by {user}{(own ? "" : $" (forced; it was locked by {held.LockedBy})")}.");
    }

    private static string Until(EnvironmentLock held) => held.Until is { } until ? $" until {until:yyyy-MM-dd HH:mm} UTC" : "";
}
