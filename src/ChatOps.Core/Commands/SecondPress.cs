using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>What the bot cannot undo asks for a second press: a new message with a "Yes, …" button, the same on every chat.</summary>
public static class SecondPress
{
    public static async Task<Decision> AskAsync(CardPublisher cards, TimeProvider clock, ActionToken confirm, string label, string question, ChatUser user, ChatChannel channel,
        CancellationToken cancellationToken)
    {
        var notice = new Notice([user],
            $"{question}\nPress \"{label}\" by {Notices.At(confirm.ExpiresAt, clock.GetUtcNow())} to go ahead; otherwise nothing happens.",
            [new CardButton(label, confirm.Action, confirm.Token, ButtonStyle.Danger)]);
        await cards.NotifyAsync(channel, notice, cancellationToken);
        return Decision.Yes($"Confirm with \"{label}\" within a minute.");
    }
}
