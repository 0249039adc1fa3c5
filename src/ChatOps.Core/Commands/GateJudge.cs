using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>
/// The verdict on an approval or a rejection from what is read now: the gate and its button, a live lock, and the
/// promotion rule, which holds until the point of no return that an approval opens. Refusals are audited where the rules say so.
/// </summary>
public sealed class GateJudge(GateRules rules, IReleaseStore releases, IEnvironmentStore environments, ReleaseButtons buttons, TimeProvider clock)
{
    /// <summary>The release as stored, and a refusal it already warrants: answered at once, without waiting for its lease.</summary>
    public async Task<(Release? Stored, Decision? Refusal)> JudgeStoredAsync(long releaseId, string? token, ChatUser user, bool approve, CancellationToken cancellationToken)
    {
        var stored = await releases.GetAsync(releaseId, cancellationToken);
        return (stored, (await JudgeAsync(stored, releaseId, token, user, approve, cancellationToken)).Refusal);
    }

    /// <summary>The rules' refusal, audited where they say so, or none and the button the decision spends.</summary>
    public async Task<(Decision? Refusal, ActionToken? Button)> JudgeAsync(Release? release, long releaseId, string? token, ChatUser user, bool approve, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var found = release is null ? null : await OpenButtonAsync(releaseId, token, approve, cancellationToken);
        var verdict = rules.AtGate(release, releaseId, found, user, approve, now);
        if (verdict.Refusal is null && approve && LockRules.IsFrozen(release!, await environments.GetAsync(release!.Environment, cancellationToken), now) is { } frozen)
            verdict = GateVerdict.Audited(frozen);
        // The promotion rule holds until the point of no return, which this approval opens.
        if (verdict.Refusal is null && approve && release!.Outputs.Promotion is { SkippedBy: null, SourceReleaseId: not null } promotion
            && PromotionRule.StillHolds(release, await releases.ListAsync(promotion.From, activeOnly: false, limit: 200, cancellationToken)) is { } stale)
            verdict = GateVerdict.Audited(stale);
        if (verdict.Refusal is not { } refusal)
            return (null, found);
        if (verdict.Audit)
            await releases.AppendAsync(new AuditEvent(release!.Id, release.Environment, user.Id, "refused", release.State.ToString(), null, refusal, now), cancellationToken);
        return (Decision.No(refusal), null);
    }

    private async Task<ActionToken?> OpenButtonAsync(long releaseId, string? token, bool approve, CancellationToken cancellationToken)
    {
        var action = approve ? CardAction.Approve : CardAction.Reject;
        return token is null
            ? (await buttons.OpenAsync(releaseId, cancellationToken)).FirstOrDefault(t => t.Action == action)
            : await buttons.FindAsync(token, cancellationToken);
    }
}
