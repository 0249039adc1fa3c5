using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Rules;

/// <summary>Approving and rejecting at a gate, and whether a pressed button still counts.</summary>
public sealed class GateRules(AccessPolicy access)
{
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
        if (release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep)?.Status is not StepStatus.Waiting)
            return GateVerdict.Quiet($"Release #{releaseId} is still preparing what is to be approved (the migration plan); the approvers are called when it is ready.");
        var action = approve ? CardAction.Approve : CardAction.Reject;
        if (token is null || token.ReleaseId != releaseId || token.Action != action || !token.IsOpen(now))
            return GateVerdict.Audited("This button is no longer valid: it was used, it expired, or the plan changed. Use the latest card.");
        if ((approve ? access.CanApprove(user, release.RequestedBy) : access.CanStop(user, release.RequestedBy)) is { } refusal)
            return GateVerdict.Audited(refusal);
        if (approve && token.PlanHash != release.Outputs.PlanHash)
            return GateVerdict.Audited("The plan changed since this approval was asked for; approve the new card.");
        return GateVerdict.Allowed;
    }

    private static string PendingStop(Release release, StopRequest stop) =>
        $"A stop was asked{(stop.At is { } at ? $" at {ChatTime.Minute(at)}" : "")} by {stop.By}; it is carried out first: release #{release.Id} "
        + $"is cancelled{(stop.RollsBack ? " (it changed nothing yet, so nothing is rolled back)" : "")}. Nothing was approved.";

    /// <summary>An approval nobody decided in time: the gate is open and no Approve button is left.</summary>
    public static bool HasExpired(Release? release, IReadOnlyList<ActionToken> openButtons) =>
        release is { State: ReleaseState.AwaitApproval }
        && release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep)?.Status == StepStatus.Waiting
        && openButtons.All(t => t.Action != CardAction.Approve);

    public static string? MayPress(ActionToken token, DateTimeOffset now) => token.IsOpen(now) ? null : token.Action switch
    {
        CardAction.Cancel => "This Cancel button is no longer valid: the release is past the point of no return or has ended.",
        CardAction.Rollback => "This Roll back button is no longer valid: a rollback was already started or it expired.",
        _ => "This button is no longer valid: it was used, it expired, or the plan changed. Use the latest card.",
    };
}

/// <summary>A decision at a gate: allowed, or refused (audited when someone pressed or typed something that was not theirs to do).</summary>
public sealed record GateVerdict(string? Refusal, bool Audit)
{
    public static readonly GateVerdict Allowed = new(null, false);

    public static GateVerdict Quiet(string refusal) => new(refusal, false);

    public static GateVerdict Audited(string refusal) => new(refusal, true);
}
