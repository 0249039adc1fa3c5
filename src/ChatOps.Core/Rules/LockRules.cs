using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Rules;

/// <summary>
/// Locks and incidents hold an environment: who may set and lift them, and what they hold back. Rollbacks are never
/// held; while an incident is open only a hotfix goes forward.
/// </summary>
public sealed class LockRules(AccessPolicy access)
{
    /// <param name="hotfix">Asked with --hotfix: the fix of the open incident, which an approver then approves.</param>
    public string? MayStartRelease(ChatUser user, string environment, EnvironmentState state, DateTimeOffset now, bool hotfix = false, string tag = "<tag>")
    {
        if (access.CanRelease(user) is { } refusal)
            return refusal;
        if (state.Lock is { } held && held.IsLive(now))
            return $"{environment} is locked by {held.LockedBy} since {ChatTime.Minute(held.At)}{Until(held)}: {held.Reason}. /unlock {environment} when it is safe.";
        if (state.Incident is { } incident && !hotfix)
            return $"{environment} has an open {incident.Describe()} since {ChatTime.Minute(incident.OpenedAt)}: forward releases wait until /incident resolved {environment}. "
                + $"Rollbacks run (/rollback {environment}); a fix goes out with /release {tag} {environment} --hotfix, approved by an approver.";
        if (state.Incident is null && hotfix)
            return $"--hotfix is for the fix of an open incident, and {environment} has none. /release {tag} {environment} releases it as usual.";
        return null;
    }

    /// <summary>A lock is a freeze: while it holds, nothing migrates or deploys there (rollbacks excepted, as the incident tool).</summary>
    public static string? IsFrozen(Release release, EnvironmentState environment, DateTimeOffset now) =>
        release.Kind == ReleaseKind.Release && environment.Lock is { } held && held.IsLive(now)
            ? $"{release.Environment} is locked by {held.LockedBy} since {ChatTime.Minute(held.At)}{Until(held)}: {held.Reason}. "
              + $"Nothing migrates or deploys there while it is locked; /unlock {release.Environment}, then /resume {release.Id}."
            : null;

    /// <summary>An incident opened while a release waited for its approval holds the approval, unless the release is its hotfix.</summary>
    public static string? HeldByIncident(Release release, EnvironmentState environment) =>
        release.Kind == ReleaseKind.Release && !release.Outputs.Hotfix && environment.Incident is { } incident
            ? $"{release.Environment} has an open {incident.Describe()}: release #{release.Id} waits until /incident resolved {release.Environment}, "
              + $"or /cancel {release.Id} and release the fix with --hotfix."
            : null;

    public string? MayLock(ChatUser user) =>
        access.IsReleaser(user) || access.IsApprover(user) ? null : $"{user} may not lock environments: only releasers and approvers can.";

    /// <summary>Opening and ending an incident from chat: releasers and approvers, as locks.</summary>
    public string? MayDeclareIncident(ChatUser user) =>
        access.IsReleaser(user) || access.IsApprover(user) ? null : $"{user} may not open or end incidents: only releasers and approvers can.";

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
