using ChatOps.Host.ChatLanes;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

/// <summary>
/// One Telegram chat as a card platform: the Bot API calls of its <see cref="CardLane{TId, TCard}"/> and what
/// Telegram's errors mean. Telegram throttles a chat above about a message a second, so the lane spaces the calls
/// by the edit interval, or by <c>retry_after</c> after a 429.
/// </summary>
internal sealed class TelegramChatCards(long chatId, ITelegramBotClient bot, ILogger log) : ICardPlatform<int, TelegramCard>
{
    private static readonly TimeSpan ServerErrorPause = TimeSpan.FromSeconds(1);

    public async Task<int> PostAsync(TelegramCard card, CancellationToken cancellationToken)
    {
        var sent = await bot.SendMessage(chatId: chatId, text: card.Html, parseMode: ParseMode.Html, messageThreadId: card.ThreadId,
            replyMarkup: card.Buttons.Count > 0 ? card.Keyboard : null,
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: cancellationToken);
        return sent.Id;
    }

    public Task EditAsync(int id, TelegramCard card, CancellationToken cancellationToken) =>
        bot.EditMessageText(chatId: chatId, messageId: id, text: card.Html, parseMode: ParseMode.Html,
            replyMarkup: card.Keyboard, linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: cancellationToken);

    // A 5xx is waited out too: Telegram.Bot retries nothing itself, and a reply or a first card has no later turn to
    // be sent in, so without this one passing server error loses it.
    public TimeSpan? RetryAfter(Exception error) => error switch
    {
        ApiRequestException { ErrorCode: 429 } e => TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1)),
        ApiRequestException { ErrorCode: >= 500 } => ServerErrorPause,
        _ => null,
    };

    public CardFailure Classify(Exception error) => error switch
    {
        // Same text and same buttons: Telegram refuses the edit, and the card is on screen as it should be.
        ApiRequestException e when e.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase) => CardFailure.NotModified,
        ApiRequestException e when e.Message.Contains("message to edit not found", StringComparison.OrdinalIgnoreCase) => CardFailure.Gone,
        ApiRequestException { ErrorCode: 429 } => CardFailure.RateLimited,
        // Bad HTML, chat gone, bot blocked.
        ApiRequestException { ErrorCode: >= 400 and < 500 } => CardFailure.Refused,
        // Anything else (a 5xx, the network, a timeout) may pass: the card is tried again after a backoff.
        _ => CardFailure.Unreachable,
    };

    public void LogRetrying(Exception error)
    {
        if (error is ApiRequestException { ErrorCode: 429 })
            log.LogInformation("Telegram asked chat {ChatId} to slow down; retrying after {RetryAfter}s", chatId, RetryAfterSeconds(error));
        else
            log.LogWarning("Telegram failed a call for chat {ChatId} ({Error}); retrying after {Pause}", chatId, error.Message, ServerErrorPause);
    }

    public void LogReposted(long releaseId) =>
        log.LogInformation("Posted release {ReleaseId}'s card again in chat {ChatId}: its message was gone", releaseId, chatId);

    public void LogFailed(CardFailure failure, Exception error, long releaseId, bool again)
    {
        if (failure == CardFailure.RateLimited)
            log.LogInformation("Telegram asked chat {ChatId} to slow down; the card of release {ReleaseId} waits {RetryAfter}s", chatId, releaseId, RetryAfterSeconds(error));
        else if (failure == CardFailure.Refused)
            log.LogError("Telegram refused the card of release {ReleaseId} in chat {ChatId}: {Error}", releaseId, chatId, error.Message);
        else
            log.LogWarning(error, "Could not update the card of release {ReleaseId} in chat {ChatId}{Outcome}", releaseId, chatId, again ? "; trying again" : "; giving up");
    }

    public void LogStopped() => log.LogWarning("Stopped with card edits still waiting for chat {ChatId}", chatId);

    public void LogCrashed(Exception error) => log.LogError(error, "Card edits for chat {ChatId} stopped", chatId);

    private static int? RetryAfterSeconds(Exception error) => (error as ApiRequestException)?.Parameters?.RetryAfter;
}
