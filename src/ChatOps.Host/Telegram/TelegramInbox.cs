using ChatOps.Host.ChatLanes;
using Telegram.Bot.Types;

namespace ChatOps.Host.Telegram;

/// <summary>
/// Puts Telegram updates, from polling or the webhook, into the <see cref="ChatInbox"/>: a chat's messages keep
/// their order, a button press has no lane and never waits behind a command. <see cref="TelegramUpdateHandler"/>
/// does the work when its turn comes.
/// </summary>
public sealed class TelegramInbox(TelegramUpdateHandler handler, ChatInbox inbox)
{
    /// <summary>A polled update; the task ends when it was handled. Null: the inbox is full or closing.</summary>
    public Task? TryTake(Update update) =>
        inbox.TryEnqueue(Lane(update), What(update), cancellationToken => handler.HandleSafelyAsync(update, cancellationToken));

    /// <summary>
    /// An update from the webhook: its reply may ride on the webhook's answer (<see cref="TelegramWebhookAnswer"/>).
    /// Null: the inbox is full or closing, and Telegram should deliver the update again later.
    /// </summary>
    public TelegramWebhookAnswer? TryTakeFromWebhook(Update update)
    {
        var answer = new TelegramWebhookAnswer();
        var taken = inbox.TryEnqueue(Lane(update), What(update), async cancellationToken =>
        {
            try
            {
                await handler.HandleSafelyAsync(update, answer, cancellationToken);
            }
            finally
            {
                answer.Finish();
            }
        }, async cancellationToken =>
        {
            answer.Finish();
            await handler.SayLostAsync(update, cancellationToken);
        });
        return taken is null ? null : answer;
    }

    /// <summary>Stops the inbox taking work, for every chat: called when the host stops.</summary>
    public Task CloseAsync() => inbox.CloseAsync();

    private static string? Lane(Update update) => update.CallbackQuery is not null ? null : $"telegram:{update.Message?.Chat.Id}";

    private static string What(Update update) => $"Telegram update {update.Id}";
}
