using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

/// <summary>
/// One chat's outgoing traffic. Telegram throttles a chat above about a message a second, so calls go one at a
/// time, spaced by the edit interval (or by <c>retry_after</c> after a 429). Card edits wait in one slot per
/// release where a newer card replaces an older one: a burst of step updates becomes one edit, and the last
/// card always goes out.
/// </summary>
internal sealed partial class TelegramChatLane(long chatId, ITelegramBotClient bot, TimeSpan interval, TimeProvider clock, ILogger log) : IAsyncDisposable
{
    private const int MaxAttempts = 5;

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly Lock _sync = new();
    private readonly Dictionary<long, CardSlot> _cards = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _flusher = Task.CompletedTask;
    private bool _flushing;
    private long _sequence;
    private DateTimeOffset _next;

    /// <summary>Posts the card the first time, else queues an edit; returns the card's message id.</summary>
    public async Task<int?> ShowAsync(long releaseId, int? messageId, TelegramCard card, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_cards.ContainsKey(releaseId) || messageId is not null)
                return Queue(releaseId, messageId, card);
        }
        // Not on screen yet: post it in this chat's turn, unless a concurrent call posted it meanwhile.
        return await InTurnAsync(async ct =>
        {
            lock (_sync)
            {
                if (_cards.ContainsKey(releaseId))
                    return Queue(releaseId, null, card);
            }
            var sent = await Spaced(c => PostAsync(card, c), ct);
            lock (_sync)
                _cards[releaseId] = new CardSlot { MessageId = sent.Id, Shown = card };
            return sent.Id;
        }, cancellationToken);
    }

    public Task SayAsync(string text, int? replyTo, CancellationToken cancellationToken) =>
        InTurnAsync(ct => Spaced(c => bot.SendMessage(
            chatId: chatId, text: TelegramCardView.Plain(text),
            replyParameters: replyTo is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null,
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: c), ct), cancellationToken);

    private int? Queue(long releaseId, int? messageId, TelegramCard card)
    {
        if (!_cards.TryGetValue(releaseId, out var slot))
            _cards[releaseId] = slot = new CardSlot { MessageId = messageId };
        if (slot.MessageId is not null && card.SameAs(slot.Shown))
            slot.Pending = null;
        else
        {
            slot.Pending = card;
            slot.Since = ++_sequence;
            if (!_flushing)
            {
                _flushing = true;
                _flusher = Task.Run(FlushAsync);
            }
        }
        return slot.MessageId ?? messageId;
    }

    private async Task FlushAsync()
    {
        var ct = _stopping.Token;
        try
        {
            while (true)
            {
                await _turn.WaitAsync(ct);
                try
                {
                    await WaitForSlotAsync(ct);
                    if (!await SendNextAsync(ct))
                        return;
                }
                finally
                {
                    _turn.Release();
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogWarning("Stopped with card edits still waiting for chat {ChatId}", chatId);
        }
    }

    private async Task<T> InTurnAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                await WaitForSlotAsync(cancellationToken);
                return await call(cancellationToken);
            }
            catch (ApiRequestException e) when (e.ErrorCode == 429 && attempt < MaxAttempts)
            {
                log.LogInformation("Telegram asked chat {ChatId} to slow down; retrying after {RetryAfter}s", chatId, e.Parameters?.RetryAfter);
            }
            finally
            {
                _turn.Release();
            }
        }
    }

    private async Task WaitForSlotAsync(CancellationToken cancellationToken)
    {
        var wait = _next - clock.GetUtcNow();
        if (wait > TimeSpan.Zero)
            await Task.Delay(wait, clock, cancellationToken);
    }

    // Every call to Telegram goes through here, inside the turn: it decides when the next one may go.
    private async Task<T> Spaced<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var pause = interval;
        try
        {
            return await call(cancellationToken);
        }
        catch (ApiRequestException e) when (e.ErrorCode == 429)
        {
            pause = TimeSpan.FromSeconds(Math.Max(1, e.Parameters?.RetryAfter ?? 1));
            throw;
        }
        finally
        {
            _next = clock.GetUtcNow() + pause;
        }
    }

    private Task<Message> PostAsync(TelegramCard card, CancellationToken cancellationToken) =>
        bot.SendMessage(chatId: chatId, text: card.Html, parseMode: ParseMode.Html,
            replyMarkup: card.Buttons.Count > 0 ? card.Keyboard : null,
            linkPreviewOptions: new LinkPreviewOptions { IsDisabled = true }, cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        // The final cards of a stopping bot still go out, within reason.
        Task flusher;
        lock (_sync)
            flusher = _flusher;
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(5), clock));
        await _stopping.CancelAsync();
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(1), clock));
        // _stopping and _turn stay undisposed: a flusher that outlived the wait may still touch them, and
        // neither holds anything the garbage collector cannot take back.
    }

    private sealed class CardSlot
    {
        public int? MessageId { get; set; }
        public TelegramCard? Shown { get; set; }
        public TelegramCard? Pending { get; set; }
        public long Since { get; set; }
        public int Attempts { get; set; }
    }
}
