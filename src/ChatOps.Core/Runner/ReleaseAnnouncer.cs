using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Runner;

/// <summary>
/// The new messages beside a release's card: an edit notifies nobody, so whoever must act or learn the outcome is
/// called by name in a message of its own.
/// </summary>
public sealed class ReleaseAnnouncer(CardPublisher cards, IApprovalStore approvals, ChatOpsSettings settings, TimeProvider clock)
{
    /// <summary>Whom a gate calls: the configured list, or every approver but the requester; only people the chat can notify.</summary>
    public IReadOnlyList<ChatUser> ApproversToCall(Release release)
    {
        var configured = settings.Access.CallAtApproval.Count > 0 ? settings.Access.CallAtApproval : settings.Access.Approvers;
        return configured
            .Where(id => !string.Equals(id, release.Requester, StringComparison.OrdinalIgnoreCase))
            .Where(id => release.Channel is { } channel && id.StartsWith(channel.Platform + ":", StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Select(id => new ChatUser(id))
            .ToList();
    }

    public async Task GateOpenedAsync(Release release, CancellationToken cancellationToken)
    {
        if (await OpenApprovalAsync(release, cancellationToken) is { } approve)
            await cards.NotifyAsync(release, Notices.GateOpened(release, ApproversToCall(release), approve.ExpiresAt, clock.GetUtcNow()), cancellationToken);
    }

    public async Task GateReminderAsync(Release release, ActionToken approve, CancellationToken cancellationToken) =>
        await cards.NotifyAsync(release, Notices.GateReminder(release, ApproversToCall(release), approve.ExpiresAt, clock.GetUtcNow()), cancellationToken);

    /// <summary>The closing message, with the buttons that still apply (Roll back on a failure that changed production).</summary>
    public async Task ClosedAsync(Release release, CancellationToken cancellationToken)
    {
        var open = await approvals.OpenAsync(release.Id, clock.GetUtcNow(), cancellationToken);
        var buttons = open.Where(t => t.Action == CardAction.Rollback)
            .Select(t => new CardButton("Roll back", t.Action, t.Token, ButtonStyle.Danger)).Take(1).ToList();
        var expired = release.State == ReleaseState.Cancelled && release.Outputs.RejectedBy is null && release.CancelRequestedBy is null;
        await cards.NotifyAsync(release, Notices.Closing(release, expired ? ApproversToCall(release) : [], buttons), cancellationToken);
    }

    /// <summary>The Approve button of the gate that is open now: its expiry is the gate's.</summary>
    public async Task<ActionToken?> OpenApprovalAsync(Release release, CancellationToken cancellationToken) =>
        (await approvals.OpenAsync(release.Id, clock.GetUtcNow(), cancellationToken)).FirstOrDefault(t => t.Action == CardAction.Approve);
}
