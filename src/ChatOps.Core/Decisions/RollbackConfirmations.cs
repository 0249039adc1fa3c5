using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;

namespace ChatOps.Core.Decisions;

/// <summary>
/// Roll back cannot be undone by the bot, so its button asks for a second press: a new message with a
/// "Yes, roll back …" button that expires after a minute. The same on every chat: a card edit can be missed, a
/// misclick on a card cannot be taken back.
/// </summary>
public sealed class RollbackConfirmations(ReleaseRules rules, ReleaseButtons buttons, StartDecisions starts, IReleaseStore releases, CardPublisher cards, TimeProvider clock)
{
    public async Task<Decision> AskAsync(ActionToken rollback, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if ((ReleaseRules.MayPress(rollback, now) ?? rules.MayRelease(user)) is { } refusal)
            return Decision.No(refusal);
        if (await releases.GetAsync(rollback.ReleaseId, cancellationToken) is not { } release)
            return Decision.No($"There is no release #{rollback.ReleaseId}.");
        // A stale button is refused at once, not after the person has confirmed it.
        if (!release.IsActive
            && ReleaseRules.IsStaleToRollBack(release, await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken)) is { } stale)
            return Decision.No(stale);
        var confirm = await buttons.OfferConfirmAsync(release.Id, cancellationToken);
        var what = release.IsActive
            ? $"Release #{release.Id} stops at its next safe point and what it moved goes back"
            : $"Every service of {release.Environment} goes back to the images of the last good release";
        var label = $"Yes, roll back {release.Environment}";
        var notice = new Notice([user],
            $"⚠️ Roll back {release.Environment}? {what}, and {release.Environment} stays locked until /unlock.\n"
            + $"Press \"{label}\" by {Notices.At(confirm.ExpiresAt, now)} to go ahead; otherwise nothing happens.",
            [new CardButton(label, CardAction.ConfirmRollback, confirm.Token, ButtonStyle.Danger)]);
        await cards.NotifyAsync(channel, notice, cancellationToken);
        return Decision.Yes($"Confirm with \"{label}\" within a minute.");
    }

    public async Task<Decision> ConfirmAsync(ActionToken confirm, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (ReleaseRules.MayPress(confirm, clock.GetUtcNow()) is not null)
            return Decision.No("This confirmation expired or was already used: press Roll back again if you still mean it.");
        if (rules.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        var rollback = (await buttons.OpenAsync(confirm.ReleaseId, cancellationToken)).FirstOrDefault(t => t.Action == CardAction.Rollback);
        if (rollback is null)
            return Decision.No("This Roll back button is no longer valid: a rollback was already started or it expired.");
        return await starts.RollBackByButtonAsync(rollback, user, channel, cancellationToken);
    }
}
