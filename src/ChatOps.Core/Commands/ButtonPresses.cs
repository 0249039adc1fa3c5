using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>A pressed button, found by its token and handed to what it stands for; a "Yes, …" press to what it confirms.</summary>
public sealed class ButtonPresses(
    CommandParser parser,
    ReleaseButtons buttons,
    IReleaseStore releases,
    ApprovalCommands approvals,
    StopCommands stops,
    RollbackConfirmations rollbacks,
    LockCommands locks,
    BakeCommands bakes,
    ResumeCommands resumes,
    TimeProvider clock)
{
    public async Task<BotReply> PressAsync(string token, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var button = await buttons.FindAsync(token, cancellationToken);
        if (button is null)
        {
            await releases.AppendAsync(new AuditEvent(null, "", user.Id, "refused", null, null, "unknown button token", clock.GetUtcNow()), cancellationToken);
            return new BotReply("This button is not known (it may belong to another bot or an old card).", IsRefusal: true);
        }
        return BotReply.Of(button.Action switch
        {
            CardAction.Approve => await approvals.DecideAsync(button.ReleaseId, button.Token, user, approve: true, cancellationToken),
            CardAction.Reject => await approvals.DecideAsync(button.ReleaseId, button.Token, user, approve: false, cancellationToken),
            CardAction.Cancel => GateRules.MayPress(button, clock.GetUtcNow()) is { } stale
                ? Decision.No(stale)
                : await stops.CancelAsync(button.ReleaseId, user, cancellationToken),
            CardAction.Rollback => await rollbacks.AskAsync(button, user, channel, cancellationToken),
            CardAction.MarkFaulty or CardAction.Accept when GateRules.MayPress(button, clock.GetUtcNow()) is { } stale => Decision.No(stale),
            CardAction.MarkFaulty => await bakes.EndAsync(new BakeCommand(button.ReleaseId, "the card's Mark faulty button", Faulty: true), user, cancellationToken),
            CardAction.Accept => await resumes.ResumeAsync(button.ReleaseId, user, cancellationToken),
            _ => await ConfirmAsync(button, user, channel, cancellationToken),
        });
    }

    /// <summary>The "Yes, …" press: refused when late, used or by someone without the role; otherwise the action, as the presser.</summary>
    private async Task<Decision> ConfirmAsync(ActionToken confirm, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        var typed = ReleaseButtons.TypedCommandOf(confirm);
        if (GateRules.MayPress(confirm, clock.GetUtcNow()) is not null)
            return Decision.No(typed is null
                ? "This confirmation expired or was already used: press Roll back again if you still mean it."
                : $"This confirmation expired or was already used; nothing changed. Type {typed} again if you still mean it.");
        return (typed is null ? null : parser.Parse(typed).Command) switch
        {
            RollbackCommand rollback => await rollbacks.ConfirmTypedAsync(confirm, rollback, user, channel, cancellationToken),
            UnlockCommand unlock => await locks.ConfirmUnlockAsync(confirm, unlock, user, cancellationToken),
            _ when typed is null => await rollbacks.ConfirmButtonAsync(confirm, user, channel, cancellationToken),
            _ => Decision.No($"This confirmation asks about \"{typed}\", which this bot no longer understands; nothing changed."),
        };
    }
}
