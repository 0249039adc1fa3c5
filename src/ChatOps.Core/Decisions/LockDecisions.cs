using ChatOps.Core.Domain;
using ChatOps.Core.Ports;

namespace ChatOps.Core.Decisions;

/// <summary>/lock and /unlock of an environment: decided by the rules, then written and audited.</summary>
public sealed class LockDecisions(ReleaseRules rules, IEnvironmentStore environments, IReleaseStore releases, TimeProvider clock)
{
    public async Task<Decision> LockAsync(string environment, string reason, TimeSpan? duration, ChatUser user, CancellationToken cancellationToken)
    {
        if (rules.MayLock(user) is { } refusal)
            return Decision.No(refusal);
        // Whole milliseconds, as the stores keep them, so the lock that comes back compares equal when it is ours.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var requested = new EnvironmentLock(environment, user.Id, reason, now, duration is { } d ? now + d : null);
        var held = await environments.LockAsync(requested, now, cancellationToken);
        if (held != requested)
            return Decision.No($"{environment} is already locked by {held.LockedBy}{ReleaseRules.Until(held)}: {held.Reason}.");
        await releases.AppendAsync(new AuditEvent(null, environment, user.Id, "lock", null, null, reason, now), cancellationToken);
        return Decision.Yes($"{environment} locked by {user}{ReleaseRules.Until(held)}: {reason}. Releases are refused until /unlock {environment}.");
    }

    public async Task<Decision> UnlockAsync(string environment, bool force, ChatUser user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var held = (await environments.GetAsync(environment, cancellationToken)).Lock;
        var verdict = rules.MayUnlock(user, environment, held, force, now);
        if (verdict.NothingToDo is { } nothing)
            return Decision.Yes(nothing);
        if (verdict.Refusal is { } refusal)
            return Decision.No(refusal);
        await environments.UnlockAsync(environment, cancellationToken);
        await releases.AppendAsync(new AuditEvent(null, environment, user.Id, verdict.Own ? "unlock" : "unlock-forced", null, null, $"lock by {held!.LockedBy}: {held.Reason}", now), cancellationToken);
        return Decision.Yes($"{environment} unlocked by {user}{(verdict.Own ? "" : $" (forced; it was locked by {held.LockedBy})")}.");
    }
}
