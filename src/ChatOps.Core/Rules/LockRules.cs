using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Rules;

/// <summary>Locks are freezes: who may set and lift one, and what a live one holds back.</summary>
public sealed class LockRules(AccessPolicy access)
{
    public string? MayStartRelease(ChatUser user, string environment, EnvironmentState state, DateTimeOffset now) =>
        access.CanRelease(user)
        ?? (state.Lock is { } held && held.IsLive(now)
            ? $"{environment} is locked by {held.LockedBy} since {ChatTime.Minute(held.At)}{Until(held)}: {held.Reason}. /unlock {environment} when it is safe."
            : null);

    /// <summary>A lock is a freeze: while it holds, nothing migrates or deploys there (rollbacks excepted, as the incident tool).</summary>
    public static string? IsFrozen(Release release, EnvironmentState environment, DateTimeOffset now) =>
        release.Kind == ReleaseKind.Release && environment.Lock is { } held && held.IsLive(now)
            ? $"{release.Environment} is locked by {held.LockedBy} since {ChatTime.Minute(held.At)}{Until(held)}: {held.Reason}. "
              + $"Nothing migrates or deploys there while it is locked; /unlock {release.Environment}, then /resume {release.Id}."
            : null;

    public string? MayLock(ChatUser user) =>
        access.IsReleaser(user) || access.IsApprover(user) ? null : $"{user} may not lock environments: only releasers and approvers can.";

    /// <summary>Unlocking: the holder (or the bot's own lock) by a releaser or approver, anyone else's only by an approver with --force.</summary>
    public UnlockVerdict MayUnlock(ChatUser user, string environment, EnvironmentLock? held, bool force, DateTimeOffset now)
    {
        if (held is null || !held.IsLive(now))
            return new UnlockVerdict(null, $"{environment} is not locked.", Own: false);
        var own = AccessPolicy.IsSamePerson(user, held.LockedBy) || held.LockedBy.StartsWith("chatops:", StringComparison.Ordinal);
        if (!own && !(force && access.IsApprover(user)))
            return new UnlockVerdict($"{environment} is locked by {held.LockedBy}: {held.Reason}. Only they can unlock it, or an approver with /unlock {environment} --force.", null, own);
        if (!access.IsReleaser(user) && !access.IsApprover(user))
            return new UnlockVerdict($"{user} may not unlock environments: only releasers and approvers can.", null, own);
        return new UnlockVerdict(null, null, own);
    }

    public static string Until(EnvironmentLock held) => held.Until is { } until ? $" until {ChatTime.Minute(until)}" : "";
}

/// <summary>Refused, nothing to do (with the reply), or allowed; <see cref="Own"/> when it is the holder's own lock.</summary>
public sealed record UnlockVerdict(string? Refusal, string? NothingToDo, bool Own);
