using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;

namespace ChatOps.Core.Runner;

/// <summary>
/// The new messages beside a release's card: an edit notifies nobody, so whoever must act or learn the outcome is
/// called by name in a message of its own.
/// </summary>
public sealed class ReleaseAnnouncer(CardPublisher cards, IApprovalStore approvals, IReleaseStore releases, ChatOpsSettings settings, TimeProvider clock)
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
        if (await OpenApprovalAsync(release, cancellationToken) is not { } approve || await ApprovalChatAsync(release, cancellationToken) is not { } chat)
            return;
        await cards.NotifyAsync(chat, Notices.GateOpened(release, ApproversToCall(release), approve.ExpiresAt, clock.GetUtcNow(), chat), cancellationToken);
        // The requester, in their private chat, learns where the approvers were asked.
        if (chat != release.Channel)
            await cards.SayAsync(release, $"🔔 The approvers were called in the group chat where {release.Environment}'s last release was asked for ({chat}).", cancellationToken);
    }

    public async Task GateReminderAsync(Release release, ActionToken approve, CancellationToken cancellationToken)
    {
        if (await ApprovalChatAsync(release, cancellationToken) is { } chat)
            await cards.NotifyAsync(chat, Notices.GateReminder(release, ApproversToCall(release), approve.ExpiresAt, clock.GetUtcNow(), chat), cancellationToken);
    }

    private async Task<ChatChannel?> ApprovalChatAsync(Release release, CancellationToken cancellationToken) =>
        release.PrivateChat
            ? Notices.ApprovalChat(release, await releases.ListAsync(release.Environment, activeOnly: false, limit: 50, cancellationToken))
            : release.Channel;

    /// <summary>The closing message, with the buttons that still apply (Roll back on a failure that changed production).</summary>
    public async Task ClosedAsync(Release release, CancellationToken cancellationToken)
    {
        var open = await approvals.OpenAsync(release.Id, clock.GetUtcNow(), cancellationToken);
        var buttons = open.Where(t => t.Action == CardAction.Rollback)
            .Select(t => new CardButton("Roll back", t.Action, t.Token, ButtonStyle.Danger)).Take(1).ToList();
        var expired = release.State == ReleaseState.Cancelled && release.Outputs.RejectedBy is null && release.CancelRequestedBy is null;
        // A bake that failed with nothing rolling it back, or that could not judge, is the approvers' to answer now.
        var bakeAsks = release.StoppedAt == ReleaseState.Bake && release.Outputs.RollbackReleaseId is null
            && (release.State == ReleaseState.NeedsAttention
                || (release.State == ReleaseState.Failed && !(settings.Environments.TryGetValue(release.Environment, out var environment) && environment.AutoRollback)));
        if (bakeAsks && release.State == ReleaseState.NeedsAttention && open.FirstOrDefault(t => t.Action == CardAction.Accept) is { } accept)
            buttons.Insert(0, new CardButton("Accept", accept.Action, accept.Token, ButtonStyle.Primary));
        await cards.NotifyAsync(release, Notices.Closing(release, expired || bakeAsks ? ApproversToCall(release) : [], buttons), cancellationToken);
    }

    /// <summary>The Approve button of the gate that is open now: its expiry is the gate's.</summary>
    public async Task<ActionToken?> OpenApprovalAsync(Release release, CancellationToken cancellationToken) =>
        (await approvals.OpenAsync(release.Id, clock.GetUtcNow(), cancellationToken)).FirstOrDefault(t => t.Action == CardAction.Approve);
}
