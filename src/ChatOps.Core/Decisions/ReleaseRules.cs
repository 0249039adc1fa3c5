using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Decisions;

/// <summary>
/// Every rule about who may do what, and whether it is allowed now, decided without I/O from what was read.
/// Each answers null when allowed, else the refusal to show; the decision classes then write.
/// </summary>
public sealed class ReleaseRules(ChatOpsSettings settings)
{
    public AccessPolicy Access { get; } = new(settings.Access);

    public string? MayRelease(ChatUser user) => Access.CanRelease(user);

    public string? MayStartRelease(ChatUser user, string environment, EnvironmentState state, DateTimeOffset now) =>
        Access.CanRelease(user)
        ?? (state.Lock is { } held && held.IsLive(now)
            ? $"{environment} is locked by {held.LockedBy} since {Chat.ChatTime.Minute(held.At)}{Until(held)}: {held.Reason}. /unlock {environment} when it is safe."
            : null);

    /// <summary>
    /// The promotion rule for a release of <paramref name="tag"/> to <paramref name="environment"/>: null when the
    /// environment promotes from none; else the promotion (or a refusal), or the override of an approver with a reason.
    /// </summary>
    public PromotionVerdict? Promotion(string environment, string tag, ChatUser user, string? skipReason, IReadOnlyList<Release> sourceHistory, DateTimeOffset now)
    {
        if (!settings.Environments.TryGetValue(environment, out var target) || target.PromoteFrom.Length == 0)
            return skipReason is null ? null : PromotionVerdict.No($"{environment} promotes from no environment, so there is no promotion rule to skip. Drop --skip-promotion.");
        if (skipReason is null)
            return PromotionRule.Check(environment, target, tag, sourceHistory, now);
        if (!Access.IsApprover(user))
            return PromotionVerdict.No($"{user} may not skip the promotion rule: only approvers can (--skip-promotion is audited and shown on the card).");
        if (string.IsNullOrWhiteSpace(skipReason))
            return PromotionVerdict.No("--skip-promotion needs a reason in quotes, e.g. --skip-promotion \"hotfix for the payments outage\".");
        return new PromotionVerdict(null, new PromotionRecord { From = target.PromoteFrom, SkippedBy = user.Id, SkipReason = skipReason.Trim() });
    }

    /// <summary>/promote without environments: the default environment from what it promotes from; with one, the environment that promotes from it.</summary>
    public PromotionRoute Route(string? from, string? to)
    {
        string Known() => string.Join(", ", settings.Environments.Where(e => e.Value.PromoteFrom.Length > 0).Select(e => $"{e.Value.PromoteFrom} → {e.Key}"));
        if (to is null)
        {
            var targets = settings.Environments.Where(e => from is null ? e.Key == settings.DefaultEnvironment : string.Equals(e.Value.PromoteFrom, from, StringComparison.OrdinalIgnoreCase)).ToList();
            if (targets.Count != 1 || targets[0].Value.PromoteFrom.Length == 0)
                return PromotionRoute.No(from is null
                    ? $"{settings.DefaultEnvironment} promotes from no environment (ChatOps:Environments:{settings.DefaultEnvironment}:PromoteFrom). Name them: /promote <tag> <from> <to>. Configured: {(Known() is { Length: > 0 } k ? k : "none")}."
                    : $"No single environment promotes from {from}. Name it: /promote <tag> {from} <to>. Configured: {(Known() is { Length: > 0 } k2 ? k2 : "none")}.");
            to = targets[0].Key;
        }
        var expected = settings.Environments[to].PromoteFrom;
        if (expected.Length == 0)
            return PromotionRoute.No($"{to} promotes from no environment (set ChatOps:Environments:{to}:PromoteFrom); use /release <tag> {to}.");
        if (from is not null && !string.Equals(from, expected, StringComparison.OrdinalIgnoreCase))
            return PromotionRoute.No($"{to} promotes from {expected}, not from {from}. /promote <tag> {expected} {to}.");
        return new PromotionRoute(null, expected, to);
    }

    /// <summary>Approve or reject at a gate, by a button (<paramref name="token"/> as pressed) or a command.</summary>
    public GateVerdict AtGate(Release? release, long releaseId, ActionToken? token, ChatUser user, bool approve, DateTimeOffset now)
    {
        if (release is null)
            return GateVerdict.Quiet($"There is no release #{releaseId}.");
        if (release.State != ReleaseState.AwaitApproval)
            return GateVerdict.Quiet($"Release #{releaseId} is not waiting for approval; it is {release.State}.");
        // A stop stored while someone else held the release (another instance, a reminder) was promised to the person
        // who asked; an approval let in before it would carry the release past the point of no return and make it "too late".
        if (approve && release.StopRequest is { } stop)
            return GateVerdict.Quiet(PendingStop(release, stop));
        if (release.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.AwaitApproval))?.Status is not StepStatus.Waiting)
            return GateVerdict.Quiet($"Release #{releaseId} is still preparing what is to be approved (the migration plan); the approvers are called when it is ready.");
        var action = approve ? CardAction.Approve : CardAction.Reject;
        if (token is null || token.ReleaseId != releaseId || token.Action != action || !token.IsOpen(now))
            return GateVerdict.Audited("This button is no longer valid: it was used, it expired, or the plan changed. Use the latest card.");
        if ((approve ? Access.CanApprove(user, release.RequestedBy) : Access.CanStop(user, release.RequestedBy)) is { } refusal)
            return GateVerdict.Audited(refusal);
        if (approve && token.PlanHash != release.Outputs.PlanHash)
            return GateVerdict.Audited("The plan changed since this approval was asked for; approve the new card.");
        return GateVerdict.Allowed;
    }

    private static string PendingStop(Release release, StopRequest stop) =>
        $"A stop was asked{(stop.At is { } at ? $" at {Chat.ChatTime.Minute(at)}" : "")} by {stop.By}; it is carried out first: release #{release.Id} "
        + $"is cancelled{(stop.RollsBack ? " (it changed nothing yet, so nothing is rolled back)" : "")}. Nothing was approved.";

    /// <summary>Stopping a running release (to cancel it or roll it back): its requester or an approver.</summary>
    public string? MayStop(Release running, ChatUser user) => Access.CanStop(user, running.RequestedBy);

    public string? MayCancel(Release? release, long releaseId, ChatUser user)
    {
        if (release is null)
            return $"There is no release #{releaseId}.";
        if (Access.CanStop(user, release.RequestedBy) is { } refusal)
            return refusal;
        if (!release.IsActive)
            return $"Release #{releaseId} already ended: {release.State}.";
        return new ReleaseWorkflow(release).CanCancel ? null : PastPointOfNoReturn(release);
    }

    public string? MayResume(Release? release, long releaseId, ChatUser user)
    {
        if (release is null)
            return $"There is no release #{releaseId}.";
        if (!Access.IsReleaser(user) && !Access.IsApprover(user))
            return $"{user} may not resume releases: only releasers and approvers can.";
        return new ReleaseWorkflow(release).CanResume ? null : $"Release #{releaseId} does not need attention; it is {release.State}.";
    }

    /// <summary>An approval nobody decided in time: the gate is open and no Approve button is left.</summary>
    public static bool HasExpired(Release? release, IReadOnlyList<ActionToken> openButtons) =>
        release is { State: ReleaseState.AwaitApproval }
        && release.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.AwaitApproval))?.Status == StepStatus.Waiting
        && openButtons.All(t => t.Action != CardAction.Approve);

    public static string? MayPress(ActionToken token, DateTimeOffset now) => token.IsOpen(now) ? null : token.Action switch
    {
        CardAction.Cancel => "This Cancel button is no longer valid: the release is past the point of no return or has ended.",
        CardAction.Rollback => "This Roll back button is no longer valid: a rollback was already started or it expired.",
        _ => "This button is no longer valid: it was used, it expired, or the plan changed. Use the latest card.",
    };

    /// <summary>A release that failed after it changed production, in a step that checks the running services, with auto-rollback on.</summary>
    public bool ShouldAutoRollback(Release release, ReleaseState failedAt) =>
        release is { Kind: ReleaseKind.Release, State: ReleaseState.Failed, ChangedProduction: true }
        && failedAt is ReleaseState.Verify or ReleaseState.Smoke
        && settings.Environments.TryGetValue(release.Environment, out var environment) && environment.AutoRollback;

    /// <summary>
    /// A failed release's Roll back button is stale once a newer release or rollback changed the environment: it
    /// would put back images older than what runs now, under a newer schema.
    /// </summary>
    public static string? IsStaleToRollBack(Release release, IReadOnlyList<Release> recent) =>
        recent.FirstOrDefault(r => r.Id > release.Id && r.ChangedEnvironment) is { } newer
            ? $"Release #{release.Id} ({release.Tag}) is no longer the last change to {release.Environment}: {newer.Kind.ToString().ToLowerInvariant()} #{newer.Id} ({newer.Tag}) "
              + $"changed it since, so this button would put back older images under what runs now. Nothing moved. /rollback {release.Environment} goes back to the "
              + $"last good release; /rollback {release.Environment} --check shows what it would do first."
            : null;

    /// <summary>A lock is a freeze: while it holds, nothing migrates or deploys there (rollbacks excepted, as the incident tool).</summary>
    public static string? IsFrozen(Release release, EnvironmentState environment, DateTimeOffset now) =>
        release.Kind == ReleaseKind.Release && environment.Lock is { } held && held.IsLive(now)
            ? $"{release.Environment} is locked by {held.LockedBy} since {Chat.ChatTime.Minute(held.At)}{Until(held)}: {held.Reason}. "
              + $"Nothing migrates or deploys there while it is locked; /unlock {release.Environment}, then /resume {release.Id}."
            : null;

    public string? MayLock(ChatUser user) =>
        Access.IsReleaser(user) || Access.IsApprover(user) ? null : $"{user} may not lock environments: only releasers and approvers can.";

    /// <summary>Unlocking: the holder (or the bot's own lock) by a releaser or approver, anyone else's only by an approver with --force.</summary>
    public UnlockVerdict MayUnlock(ChatUser user, string environment, EnvironmentLock? held, bool force, DateTimeOffset now)
    {
        if (held is null || !held.IsLive(now))
            return new UnlockVerdict(null, $"{environment} is not locked.", Own: false);
        var own = AccessPolicy.IsSamePerson(user, held.LockedBy) || held.LockedBy.StartsWith("chatops:", StringComparison.Ordinal);
        if (!own && !(force && Access.IsApprover(user)))
            return new UnlockVerdict($"{environment} is locked by {held.LockedBy}: {held.Reason}. Only they can unlock it, or an approver with /unlock {environment} --force.", null, own);
        if (!Access.IsReleaser(user) && !Access.IsApprover(user))
            return new UnlockVerdict($"{user} may not unlock environments: only releasers and approvers can.", null, own);
        return new UnlockVerdict(null, null, own);
    }

    public IReadOnlyList<string> RolesOf(ChatUser user) => Access.RolesOf(user);

    public static string PastPointOfNoReturn(Release release) =>
        $"Release #{release.Id} is at {release.State}: past the point of no return, it cannot be cancelled. Use /rollback {release.Environment} if it goes wrong.";

    public static string Until(EnvironmentLock held) => held.Until is { } until ? $" until {Chat.ChatTime.Minute(until)}" : "";

    /// <summary>/doctor shows what every outside system answers, so it is for approvers only.</summary>
    public string? MayRunDoctor(ChatUser user) =>
        Access.IsApprover(user) ? null : $"{user} may not run /doctor: only approvers can.";

    /// <summary>
    /// The id Telegram gives every anonymous group admin (GroupAnonymousBot) and the one it gives posts made on behalf
    /// of a channel (Channel_Bot): anyone can speak as them, so neither may ever hold a role.
    /// </summary>
    public static readonly IReadOnlySet<string> SharedIdentities = new HashSet<string>(StringComparer.Ordinal) { "telegram:1087968824", "telegram:136817688" };

    /// <summary>Start-up refusals for role lists that name an identity anyone can speak as.</summary>
    public static IEnumerable<string> NeverGranted(AccessSettings access) =>
        access.Releasers.Concat(access.Approvers).Where(id => SharedIdentities.Contains(id.Trim())).Distinct().Select(id =>
            $"ChatOps:Access lists {id}, the id Telegram uses for every anonymous group admin or channel post; it can never hold a role. Give the people their own ids.");

    /// <summary>
    /// Strangers, in live mode: a chat off the allow list gets this one reply (its id and how to allow it) and nothing
    /// else; a private chat is served only to someone with a role. Null when the message may be handled.
    /// </summary>
    public string? MayTalkIn(ChatUser user, ChatPlace? place)
    {
        if (place is null || !place.Live || place.Listed)
            return null;
        if (place.Private)
            return HasRole(user)
                ? null
                : $"ChatOps answers private chats only for people with a role. You are {user}; ask an admin to add it to ChatOps:Access:Releasers or ChatOps:Access:Approvers.";
        return $"ChatOps does not work in this chat. To allow it, an admin adds its id {place.ChatId} to {place.AllowKey}.";
    }

    /// <summary>Read commands (/status, /history, /plan, a dry run) show the audit trail: open in allowed chats, elsewhere only to people with a role.</summary>
    public string? MayRead(ChatUser user, ChatPlace? place) =>
        place is null || !place.Live || place.Listed || HasRole(user)
            ? null
            : $"{user} may not read releases here: status, history and plans are open in allowed chats ({place.AllowKey}), elsewhere only to releasers and approvers.";

    /// <summary>
    /// Whether the bot may ask the chat platform who this person is (Slack's users.info): only for someone with a role,
    /// in a chat the bot talks in. The names shown are those of requesters and approvers; a stranger, or anyone in a
    /// chat the bot refuses, is answered without the bot asking anything about them.
    /// </summary>
    public bool MayLookUp(ChatUser user, ChatPlace? place) => MayTalkIn(user, place) is null && HasRole(user);

    private bool HasRole(ChatUser user) => !SharedIdentities.Contains(user.Id) && (Access.IsReleaser(user) || Access.IsApprover(user));
}

/// <summary>A decision at a gate: allowed, or refused (audited when someone pressed or typed something that was not theirs to do).</summary>
public sealed record GateVerdict(string? Refusal, bool Audit)
{
    public static readonly GateVerdict Allowed = new(null, false);

    public static GateVerdict Quiet(string refusal) => new(refusal, false);

    public static GateVerdict Audited(string refusal) => new(refusal, true);
}

/// <summary>Where a /promote goes, or why it cannot be worked out.</summary>
public sealed record PromotionRoute(string? Refusal, string? From, string? To)
{
    public static PromotionRoute No(string refusal) => new(refusal, null, null);
}

/// <summary>Refused, nothing to do (with the reply), or allowed; <see cref="Own"/> when it is the holder's own lock.</summary>
public sealed record UnlockVerdict(string? Refusal, string? NothingToDo, bool Own);
