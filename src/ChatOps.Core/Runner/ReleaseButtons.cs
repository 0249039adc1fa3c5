using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;

namespace ChatOps.Core.Runner;

/// <summary>The buttons a release's card offers: opaque tokens in the store, each for one action and one gate.</summary>
public sealed class ReleaseButtons(IApprovalStore approvals, ChatOpsSettings settings, TimeProvider clock)
{
    public const string CancelGate = "cancel";
    public const string RollbackGate = "rollback";
    public const string ConfirmGate = "confirm-rollback";
    public const string BakeGate = "bake";

    /// <summary>How long the second press of a rollback stays open: long enough to read it, short enough to mean now.</summary>
    public static readonly TimeSpan ConfirmLifetime = TimeSpan.FromMinutes(1);

    /// <summary>How long a failed release offers its Roll back button.</summary>
    public static readonly TimeSpan RollbackLifetime = TimeSpan.FromDays(7);

    public Task OfferCancelAsync(Release release, CancellationToken cancellationToken) =>
        approvals.IssueAsync(New(release.Id, CardAction.Cancel, CancelGate, null, TimeSpan.FromDays(1)), cancellationToken);

    /// <summary>Opens an approval gate: every earlier button is void, and Approve binds the plan on the card.</summary>
    public async Task OpenGateAsync(Release release, int round, CancellationToken cancellationToken)
    {
        var gate = $"approval-{round}";
        var timeout = settings.Access.ApprovalTimeout;
        await approvals.VoidAsync(release.Id, null, clock.GetUtcNow(), cancellationToken);
        await approvals.IssueAsync(New(release.Id, CardAction.Approve, gate, release.Outputs.PlanHash, timeout), cancellationToken);
        await approvals.IssueAsync(New(release.Id, CardAction.Reject, gate, release.Outputs.PlanHash, timeout), cancellationToken);
        if (release.Kind == ReleaseKind.Release)
            await approvals.IssueAsync(New(release.Id, CardAction.Cancel, CancelGate, null, timeout), cancellationToken);
    }

    /// <summary>Mark faulty, for the bake's whole window; a fresh one voids an earlier one (a turn cut off by a crash runs again).</summary>
    public async Task OfferMarkFaultyAsync(Release release, TimeSpan lifetime, CancellationToken cancellationToken)
    {
        await approvals.VoidAsync(release.Id, BakeGate, clock.GetUtcNow(), cancellationToken);
        await approvals.IssueAsync(New(release.Id, CardAction.MarkFaulty, BakeGate, null, lifetime), cancellationToken);
    }

    /// <summary>Accept, once a bake could not judge the release; Mark faulty goes, Roll back stays beside it.</summary>
    public async Task OfferAcceptAsync(Release release, CancellationToken cancellationToken)
    {
        await approvals.VoidAsync(release.Id, BakeGate, clock.GetUtcNow(), cancellationToken);
        await approvals.IssueAsync(New(release.Id, CardAction.Accept, BakeGate, null, RollbackLifetime), cancellationToken);
    }

    public Task OfferRollbackAsync(Release release, CancellationToken cancellationToken) =>
        approvals.IssueAsync(New(release.Id, CardAction.Rollback, RollbackGate, null, RollbackLifetime), cancellationToken);

    /// <summary>The release of a typed command's confirmation, which belongs to none; release ids start at 1.</summary>
    public const long NoRelease = 0;

    /// <summary>A fresh "Yes, roll back" button for a release's Roll back button; an earlier one not pressed in time is voided first.</summary>
    public Task<ActionToken> OfferConfirmAsync(long releaseId, CancellationToken cancellationToken) =>
        OfferConfirmAsync(releaseId, CardAction.ConfirmRollback, ConfirmGate, null, cancellationToken);

    /// <summary>
    /// A fresh "Yes, …" button for a typed command. Its gate is the command itself, so asking the same thing again voids
    /// the earlier question, and of two questions about one command only one press can win. <paramref name="binding"/>
    /// is what the answer holds for (like an approval's plan): a press is refused once it no longer matches.
    /// </summary>
    public Task<ActionToken> OfferConfirmAsync(CardAction action, string command, string? binding, CancellationToken cancellationToken) =>
        OfferConfirmAsync(NoRelease, action, TypedGatePrefix + command, binding, cancellationToken);

    /// <summary>The typed command a confirmation was asked for, or null for a release's Roll back button.</summary>
    public static string? TypedCommandOf(ActionToken confirm) =>
        confirm.ReleaseId == NoRelease && confirm.Gate.StartsWith(TypedGatePrefix, StringComparison.Ordinal) ? confirm.Gate[TypedGatePrefix.Length..] : null;

    private const string TypedGatePrefix = "typed:";

    private async Task<ActionToken> OfferConfirmAsync(long releaseId, CardAction action, string gate, string? binding, CancellationToken cancellationToken)
    {
        await approvals.VoidAsync(releaseId, gate, clock.GetUtcNow(), cancellationToken);
        var token = New(releaseId, action, gate, binding, ConfirmLifetime);
        await approvals.IssueAsync(token, cancellationToken);
        return token;
    }

    /// <summary>Voids the release's buttons of one gate, or all of them.</summary>
    public Task VoidAsync(long releaseId, string? gate, CancellationToken cancellationToken) =>
        approvals.VoidAsync(releaseId, gate, clock.GetUtcNow(), cancellationToken);

    public Task<bool> SpendAsync(ActionToken token, string user, CancellationToken cancellationToken) =>
        approvals.UseAsync(token.Token, user, clock.GetUtcNow(), cancellationToken);

    public Task<ActionToken?> FindAsync(string token, CancellationToken cancellationToken) => approvals.FindAsync(token, cancellationToken);

    public Task<IReadOnlyList<ActionToken>> OpenAsync(long releaseId, CancellationToken cancellationToken) =>
        approvals.OpenAsync(releaseId, clock.GetUtcNow(), cancellationToken);

    private ActionToken New(long releaseId, CardAction action, string gate, string? planHash, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        return new ActionToken(Tokens.New(), releaseId, action, gate, planHash, now, now + lifetime);
    }
}
