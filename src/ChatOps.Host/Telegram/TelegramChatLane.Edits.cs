using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

internal sealed partial class TelegramChatLane
{
    /// <summary>Sends the longest-waiting card of this chat; false when none is left (the flusher then stops).</summary>
    private async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        if (Take() is not var (releaseId, slot, card, messageId))
            return false;
        try
        {
            if (messageId is { } id)
                await Spaced(c => bot.EditMessageText(chatId: chatId, messageId: id, text: card.Html, parseMode: ParseMode.Html,
                    replyMarkup: card.Keyboard, linkPreviewOptions: new() { IsDisabled = true }, cancellationToken: c), cancellationToken);
            else
            {
                var sent = await Spaced(c => PostAsync(card, c), cancellationToken);
                lock (_sync)
                    slot.MessageId = sent.Id;
                log.LogInformation("Posted release {ReleaseId}'s card again in chat {ChatId}: its message was gone", releaseId, chatId);
            }
            Shown(slot, card);
        }
        catch (ApiRequestException e) when (e.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            Shown(slot, card);
        }
        catch (ApiRequestException e) when (e.Message.Contains("message to edit not found", StringComparison.OrdinalIgnoreCase))
        {
            // Someone deleted the card: the next turn posts it anew, and the release learns the new id at its next update.
            lock (_sync)
                slot.MessageId = null;
            Requeue(slot, card, countAttempt: false);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429)
        {
            log.LogInformation("Telegram asked chat {ChatId} to slow down; the card of release {ReleaseId} waits {RetryAfter}s", chatId, releaseId, e.Parameters?.RetryAfter);
            Requeue(slot, card, countAttempt: false);
        }
        catch (ApiRequestException e) when (e.ErrorCode is >= 400 and < 500)
        {
            // Telegram refused this card (bad HTML, chat gone, bot blocked): sending it again would be refused too.
            log.LogError("Telegram refused the card of release {ReleaseId} in chat {ChatId}: {Error}", releaseId, chatId, e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var again = Requeue(slot, card, countAttempt: true);
            _next = clock.GetUtcNow() + TimeSpan.FromSeconds(2 * slot.Attempts);
            log.LogWarning(e, "Could not update the card of release {ReleaseId} in chat {ChatId}{Outcome}", releaseId, chatId, again ? "; trying again" : "; giving up");
        }
        return true;
    }

    private (long ReleaseId, CardSlot Slot, TelegramCard Card, int? MessageId)? Take()
    {
        lock (_sync)
        {
            var next = _cards.Where(c => c.Value.Pending is not null).OrderBy(c => c.Value.Since).FirstOrDefault();
            if (next.Value is not { Pending: { } card } slot)
            {
                _flushing = false;
                return null;
            }
            slot.Pending = null;
            return (next.Key, slot, card, slot.MessageId);
        }
    }

    private void Shown(CardSlot slot, TelegramCard card)
    {
        lock (_sync)
        {
            slot.Shown = card;
            slot.Attempts = 0;
        }
    }

    // A newer card queued meanwhile wins over the one that failed.
    private bool Requeue(CardSlot slot, TelegramCard card, bool countAttempt)
    {
        lock (_sync)
        {
            if (countAttempt && ++slot.Attempts >= MaxAttempts)
                return false;
            if (slot.Pending is null)
            {
                slot.Pending = card;
                slot.Since = ++_sequence;
            }
            return true;
        }
    }
}
