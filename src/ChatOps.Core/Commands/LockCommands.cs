using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/lock and /unlock of an environment: decided by the rules, then written and audited.</summary>
public sealed class LockCommands(LockRules rules, IEnvironmentStore environments, IReleaseStore releases, ReleaseButtons buttons, CardPublisher cards, TimeProvider clock)
    : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is LockCommand or UnlockCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) => BotReply.Of(command switch
    {
        LockCommand @lock => await LockAsync(@lock.Environment, @lock.Reason, @lock.For, sender.User, cancellationToken),
        UnlockCommand { Force: true } forced => await AskAsync(forced, sender.User, sender.Channel, cancellationToken),
        UnlockCommand unlock => await UnlockAsync(unlock.Environment, unlock.Force, sender.User, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    });

    public async Task<Decision> LockAsync(string environment, string reason, TimeSpan? duration, ChatUser user, CancellationToken cancellationToken)
    {
        if (rules.MayLock(user) is { } refusal)
            return Decision.No(refusal);
        // Whole milliseconds, as the stores keep them, so the lock that comes back compares equal when it is ours.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var requested = new EnvironmentLock(environment, user.Id, reason, now, duration is { } d ? now + d : null);
        var held = await environments.LockAsync(requested, now, cancellationToken);
        if (held != requested)
            return Decision.No($"{environment} is already locked by {held.LockedBy}{LockRules.Until(held)}: {held.Reason}.");
        await releases.AppendAsync(new AuditEvent(null, environment, user.Id, "lock", null, null, reason, now), cancellationToken);
        return Decision.Yes($"{environment} locked by {user}{LockRules.Until(held)}: {reason}. Releases are refused until /unlock {environment}.");
    }

    public async Task<Decision> UnlockAsync(string environment, bool force, ChatUser user, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var held = (await environments.GetAsync(environment, cancellationToken)).Lock;
        var verdict = rules.MayUnlock(user, environment, held, force, now);
        if (verdict.NothingToDo is { } nothing)
            return Decision.Yes(nothing);
        if (verdict.Refusal is { } refusal)
            return Decision.No(refusal);
        await environments.UnlockAsync(environment, cancellationToken);
        await releases.AppendAsync(new AuditEvent(null, environment, user.Id, verdict.Own ? "unlock" : "unlock-forced", null, null, $"lock by {held!.LockedBy}: {held.Reason}", now), cancellationToken);
        return Decision.Yes($"{environment} unlocked by {user}{(verdict.Own ? "" : $" (forced; it was locked by {held.LockedBy})")}.");
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
            return await UnlockAsync(environment, command.Force, user, cancellationToken);
        var confirm = await buttons.OfferConfirmAsync(CardAction.ConfirmUnlock, Typed(command), LockKey(held!), cancellationToken);
        return await SecondPress.AskAsync(cards, clock, confirm, $"Yes, force unlock {environment}",
            $"⚠️ Force unlock {environment}? {held!.LockedBy} locked it since {ChatTime.Minute(held.At)}: {held.Reason}. "
            + "Releases can start there again at once.", user, channel, cancellationToken);
    }

    public async Task<Decision> ConfirmUnlockAsync(ActionToken confirm, UnlockCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        var environment = command.Environment;
        var held = (await environments.GetAsync(environment, cancellationToken)).Lock;
        if (held is null || !held.IsLive(clock.GetUtcNow()) || LockKey(held) != confirm.PlanHash)
            return Decision.No($"The lock on {environment} changed since the question was asked; nothing changed. /status {environment} shows it now.");
        if (rules.MayUnlock(user, environment, held, force: true, clock.GetUtcNow()).Refusal is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        return await UnlockAsync(environment, force: true, user, cancellationToken);
    }

    private static string Typed(UnlockCommand command) => $"/unlock {command.Environment} --force";

    private static string LockKey(EnvironmentLock held) => $"{held.LockedBy} {held.At.ToUnixTimeMilliseconds()}";
}
