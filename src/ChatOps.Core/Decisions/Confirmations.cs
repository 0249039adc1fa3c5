using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Decisions;

/// <summary>
/// What the bot cannot undo asks for a second press: a new message with a "Yes, …" button that expires after a minute.
/// Roll back (the card's button or a typed /rollback) and /unlock --force of someone else's lock ask it, the same on every
/// chat: a card edit can be missed, a misclick or a typo cannot be taken back. The press decides again, as whoever pressed.
/// </summary>
public sealed class Confirmations(
    ChatOpsSettings settings,
    ReleaseRules rules,
    ReleaseButtons buttons,
    StartDecisions starts,
    LockDecisions locks,
    IReleaseStore releases,
    IEnvironmentStore environments,
    CardPublisher cards,
    TimeProvider clock)
{
    private readonly CommandParser _parser = new(settings.TagPattern, settings.BotName, settings.DefaultEnvironment, settings.Environments.Keys);

    /// <summary>The Roll back button of a card.</summary>
    public async Task<Decision> AskAsync(ActionToken rollback, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if ((ReleaseRules.MayPress(rollback, now) ?? rules.MayRelease(user)) is { } refusal)
            return Decision.No(refusal);
        if (await releases.GetAsync(rollback.ReleaseId, cancellationToken) is not { } release)
            return Decision.No($"There is no release #{rollback.ReleaseId}.");
        if (release.IsActive && rules.MayStop(release, user) is { } notTheirs)
            return Decision.No(notTheirs);
        var recent = await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken);
        // A stale button is refused at once, not after the person has confirmed it.
        if (!release.IsActive && ReleaseRules.IsStaleToRollBack(release, recent) is { } stale)
            return Decision.No(stale);
        // The target is named before the second press: the person confirms a tag, not "the last good release".
        var plan = RollbackPlanner.Plan(new RollbackRequest(release.Environment, null, false, user, channel, release.BotVersion, now), release, recent);
        if (!release.IsActive && plan.Rollback is null)
            return Decision.No(plan.Refusal!);
        var target = plan.Rollback is { } back ? $" to {back.Tag} ({back.Outputs.RollbackReason})" : "";
        var confirm = await buttons.OfferConfirmAsync(release.Id, cancellationToken);
        var locked = $", and {release.Environment} stays locked until /unlock.";
        var what = release.IsActive
            ? RollbackPlanner.StopsWithoutRollback(release, await environments.GetAsync(release.Environment, cancellationToken)) is { } stops
                ? stops + "."
                : $"Release #{release.Id} stops at its next safe point and what it moved goes back{target}{locked}"
            : $"Every service of {release.Environment} goes back{target}{locked}";
        return await AskAsync(confirm, $"Yes, roll back {release.Environment}", $"⚠️ Roll back {release.Environment}? {what}", user, channel, cancellationToken);
    }

    /// <summary>A typed /rollback (not --check): refused at once when it would be, else asked with what it would do.</summary>
    public async Task<Decision> AskAsync(RollbackCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var environment = command.Environment;
        var preview = await starts.PreviewRollbackAsync(environment, command.To?.Value, command.WithDatabase, user, cancellationToken);
        if (!preview.Accepted)
            return preview;
        var confirm = await buttons.OfferConfirmAsync(CardAction.ConfirmRollback, Typed(command), null, cancellationToken);
        return await AskAsync(confirm, $"Yes, roll back {environment}", $"⚠️ Roll back {environment}? {preview.Message}", user, channel, cancellationToken);
    }

    /// <summary>
    /// /unlock --force. Only lifting someone else's lock is forced and asked about; the press holds for that lock only,
    /// so a lock taken again in the meantime is not lifted by an answer about the old one.
    /// </summary>
    public async Task<Decision> AskAsync(UnlockCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var environment = command.Environment;
        var held = (await environments.GetAsync(environment, cancellationToken)).Lock;
        var verdict = rules.MayUnlock(user, environment, held, command.Force, clock.GetUtcNow());
        // Nothing locked, not allowed, or one's own lock: nothing is forced, so it is answered at once.
        if (verdict.NothingToDo is not null || verdict.Refusal is not null || verdict.Own)
            return await locks.UnlockAsync(environment, command.Force, user, cancellationToken);
        var confirm = await buttons.OfferConfirmAsync(CardAction.ConfirmUnlock, Typed(command), LockKey(held!), cancellationToken);
        return await AskAsync(confirm, $"Yes, force unlock {environment}",
            $"⚠️ Force unlock {environment}? {held!.LockedBy} locked it since {ChatTime.Minute(held.At)}: {held.Reason}. "
            + "Releases can start there again at once.", user, channel, cancellationToken);
    }

    /// <summary>The "Yes, …" press: refused when late, used or by someone without the role; otherwise the action, as the presser.</summary>
    public async Task<Decision> ConfirmAsync(ActionToken confirm, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var typed = ReleaseButtons.TypedCommandOf(confirm);
        if (ReleaseRules.MayPress(confirm, clock.GetUtcNow()) is not null)
            return Decision.No(typed is null
                ? "This confirmation expired or was already used: press Roll back again if you still mean it."
                : $"This confirmation expired or was already used; nothing changed. Type {typed} again if you still mean it.");
        return (typed is null ? null : _parser.Parse(typed).Command) switch
        {
            RollbackCommand rollback => await ConfirmRollbackAsync(confirm, rollback, user, channel, cancellationToken),
            UnlockCommand unlock => await ConfirmUnlockAsync(confirm, unlock, user, cancellationToken),
            _ when typed is null => await ConfirmRollbackButtonAsync(confirm, user, channel, cancellationToken),
            _ => Decision.No($"This confirmation asks about \"{typed}\", which this bot no longer understands; nothing changed."),
        };
    }

    private async Task<Decision> ConfirmRollbackButtonAsync(ActionToken confirm, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (rules.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        var rollback = (await buttons.OpenAsync(confirm.ReleaseId, cancellationToken)).FirstOrDefault(t => t.Action == CardAction.Rollback);
        if (rollback is null)
            return Decision.No("This Roll back button is no longer valid: a rollback was already started or it expired.");
        return await starts.RollBackByButtonAsync(rollback, user, channel, cancellationToken);
    }

    private async Task<Decision> ConfirmRollbackAsync(ActionToken confirm, RollbackCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (rules.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        return await starts.StartRollbackAsync(command.Environment, command.To?.Value, command.WithDatabase, user, channel, cancellationToken);
    }

    private async Task<Decision> ConfirmUnlockAsync(ActionToken confirm, UnlockCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        var environment = command.Environment;
        var held = (await environments.GetAsync(environment, cancellationToken)).Lock;
        if (held is null || !held.IsLive(clock.GetUtcNow()) || LockKey(held) != confirm.PlanHash)
            return Decision.No($"The lock on {environment} changed since the question was asked; nothing changed. /status {environment} shows it now.");
        if (rules.MayUnlock(user, environment, held, force: true, clock.GetUtcNow()).Refusal is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        return await locks.UnlockAsync(environment, force: true, user, cancellationToken);
    }

    private async Task<Decision> AskAsync(ActionToken confirm, string label, string question, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var notice = new Notice([user],
            $"{question}\nPress \"{label}\" by {Notices.At(confirm.ExpiresAt, clock.GetUtcNow())} to go ahead; otherwise nothing happens.",
            [new CardButton(label, confirm.Action, confirm.Token, ButtonStyle.Danger)]);
        await cards.NotifyAsync(channel, notice, cancellationToken);
        return Decision.Yes($"Confirm with \"{label}\" within a minute.");
    }

    // The command as the parser reads it back when the answer comes, perhaps on another instance.
    private static string Typed(RollbackCommand command) =>
        $"/rollback {command.Environment}{(command.To is { } to ? $" --to {to.Value}" : "")}{(command.WithDatabase ? " --with-db" : "")}";

    private static string Typed(UnlockCommand command) => $"/unlock {command.Environment} --force";

    private static string LockKey(EnvironmentLock held) => $"{held.LockedBy} {held.At.ToUnixTimeMilliseconds()}";
}
