using ChatOps.Core.Domain;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Rules;

/// <summary>Who may end a bake early, and when: skipping passes the release (approvers only), marking it faulty fails it (releasers too).</summary>
public sealed class BakeRules(AccessPolicy access)
{
    /// <summary>Null when <paramref name="user"/> may end the bake of release <paramref name="releaseId"/> so; else the refusal, saying what to do.</summary>
    public string? MayEnd(Release? release, long releaseId, ChatUser user, bool faulty)
    {
        if (faulty ? !access.IsReleaser(user) && !access.IsApprover(user) : !access.IsApprover(user))
            return faulty
                ? $"{user} may not mark a release faulty: releasers and approvers can."
                : $"{user} may not skip a bake: only approvers can (/bake --skip is audited and shown on the card). A releaser can mark it faulty: /bake {releaseId} --faulty \"<reason>\".";
        if (release is null)
            return $"There is no release #{releaseId}.";
        if (release.State != ReleaseState.Bake)
            return $"Release #{releaseId} is not baking (it is at {release.State}): there is no bake to end.";
        return null;
    }
}
