using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>
/// A rollback asks for a second press: the card's Roll back button or a typed /rollback is answered with a "Yes, roll back"
/// button that expires after a minute (a card edit can be missed, a misclick or a typo cannot be taken back). The
/// press decides again, as whoever pressed.
/// </summary>
public sealed class RollbackConfirmations(AccessRules access, StopRules stopRules, ReleaseButtons buttons, RollbackCommands rollbacks, IReleaseStore releases,
    IEnvironmentStore environments, CardPublisher cards, TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is RollbackCommand { Check: false };

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) =>
        BotReply.Of(await AskAsync((RollbackCommand)command, sender.User, sender.Channel, cancellationToken));

    /// <summary>The Roll back button of a card.</summary>
    public async Task<Decision> AskAsync(ActionToken rollback, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if ((GateRules.MayPress(rollback, now) ?? access.MayRelease(user)) is { } refusal)
            return Decision.No(refusal);
        if (await releases.GetAsync(rollback.ReleaseId, cancellationToken) is not { } release)
            return Decision.No($"There is no release #{rollback.ReleaseId}.");
        if (release.IsActive && stopRules.MayStop(release, user) is { } notTheirs)
            return Decision.No(notTheirs);
        var recent = await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken);
        // A stale button is refused at once, not after the person has confirmed it.
        if (!release.IsActive && RollbackRules.IsStaleToRollBack(release, recent) is { } stale)
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
        return await SecondPress.AskAsync(cards, clock, confirm, $"Yes, roll back {release.Environment}", $"⚠️ Roll back {release.Environment}? {what}", user, channel, cancellationToken);
    }

    /// <summary>A typed /rollback (not --check): refused at once when it would be, else asked with what it would do.</summary>
    public async Task<Decision> AskAsync(RollbackCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var environment = command.Environment;
        var preview = await rollbacks.PreviewRollbackAsync(environment, command.To?.Value, command.WithDatabase, user, cancellationToken);
        if (!preview.Accepted)
            return preview;
        var confirm = await buttons.OfferConfirmAsync(CardAction.ConfirmRollback, Typed(command), null, cancellationToken);
        return await SecondPress.AskAsync(cards, clock, confirm, $"Yes, roll back {environment}", $"⚠️ Roll back {environment}? {preview.Message}", user, channel, cancellationToken);
    }

    public async Task<Decision> ConfirmButtonAsync(ActionToken confirm, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (access.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        var rollback = (await buttons.OpenAsync(confirm.ReleaseId, cancellationToken)).FirstOrDefault(t => t.Action == CardAction.Rollback);
        if (rollback is null)
            return Decision.No("This Roll back button is no longer valid: a rollback was already started or it expired.");
        return await rollbacks.RollBackByButtonAsync(rollback, user, channel, cancellationToken);
    }

    public async Task<Decision> ConfirmTypedAsync(ActionToken confirm, RollbackCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        if (access.MayRelease(user) is { } refusal)
            return Decision.No(refusal);
        if (!await buttons.SpendAsync(confirm, user.Id, cancellationToken))
            return Decision.No("This confirmation was already used.");
        return await rollbacks.StartRollbackAsync(command.Environment, command.To?.Value, command.WithDatabase, user, channel, cancellationToken);
    }

    // The command as the parser reads it back when the answer comes, perhaps on another instance.
    public static string Typed(RollbackCommand command) =>
        $"/rollback {command.Environment}{(command.To is { } to ? $" --to {to.Value}" : "")}{(command.WithDatabase ? " --with-db" : "")}";
}
