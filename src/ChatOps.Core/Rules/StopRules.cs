using ChatOps.Core.Domain;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Rules;

/// <summary>Stopping a running release (to cancel it or roll it back) and resuming one that needs attention.</summary>
public sealed class StopRules(AccessPolicy access)
{
    /// <summary>Stopping a running release (to cancel it or roll it back): its requester or an approver.</summary>
    public string? MayStop(Release running, ChatUser user) => access.CanStop(user, running.RequestedBy);

    public string? MayCancel(Release? release, long releaseId, ChatUser user)
    {
        if (release is null)
            return $"There is no release #{releaseId}.";
        if (access.CanStop(user, release.RequestedBy) is { } refusal)
            return refusal;
        if (!release.IsActive)
            return $"Release #{releaseId} already ended: {release.State}.";
        return new ReleaseWorkflow(release).CanCancel ? null : PastPointOfNoReturn(release);
    }

    public string? MayResume(Release? release, long releaseId, ChatUser user)
    {
        if (release is null)
            return $"There is no release #{releaseId}.";
        if (!access.IsReleaser(user) && !access.IsApprover(user))
            return $"{user} may not resume releases: only releasers and approvers can.";
        return new ReleaseWorkflow(release).CanResume ? null : $"Release #{releaseId} does not need attention; it is {release.State}.";
    }

    public static string PastPointOfNoReturn(Release release) =>
        $"Release #{release.Id} is at {release.State}: past the point of no return, it cannot be cancelled. Use /rollback {release.Environment} if it goes wrong.";
}
