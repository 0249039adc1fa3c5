using System.Globalization;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Host.Chat;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

/// <summary>Telegram as a chat platform: a chat id is the channel id, a card is one message edited in place.</summary>
public sealed class TelegramSurface(
    ITelegramBotClient bot, People people, RestingCards resting, IOptions<TelegramOptions> options, TimeProvider clock, ILogger<TelegramSurface> log)
    : IChatSurface, IAsyncDisposable
{
    public const string PlatformName = "telegram";

    // One lane per chat: Telegram's limits are per chat, and a reply must not overtake the cards before it.
    private readonly CardLanes<long, int, TelegramCard> _lanes = new(
        id => new CardLane<int, TelegramCard>(new TelegramChatCards(id, bot, log), options.Value.EditInterval, clock, (releaseId, cancellationToken) => RestingAsync(resting, releaseId, cancellationToken)), clock);
    private int _disposed;

    public string Platform => PlatformName;

    public async Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken)
    {
        var known = int.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? new CardId<int>(id) : (CardId<int>?)null;
        var shown = await _lanes.UseAsync(ChatId(channel), lane => lane.ShowAsync(card.ReleaseId, known, TelegramCardView.Render(card), cancellationToken));
        return shown?.Id.ToString(CultureInfo.InvariantCulture);
    }

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken) =>
        SayAsync(ChatId(channel), text, null, cancellationToken);

    public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken)
    {
        var chatId = ChatId(channel);
        var html = TelegramCardView.Trim(TelegramNoticeView.Html(notice, people), TelegramCardView.MaxLength);
        return _lanes.UseAsync(chatId, lane => lane.SendAsync(c => bot.SendMessage(
            chatId: chatId, text: html, parseMode: ParseMode.Html,
            replyMarkup: notice.Buttons.Count > 0 ? TelegramCardView.Keyboard(notice.Buttons) : null,
            linkPreviewOptions: NoPreview, cancellationToken: c), cancellationToken));
    }

    /// <summary>A reply to someone's command, in the same chat's turn as the cards.</summary>
    public Task ReplyAsync(long chatId, int messageId, string text, CancellationToken cancellationToken) =>
        SayAsync(chatId, text, messageId, cancellationToken);

    /// <summary>
    /// A reply that can ride back on the webhook's answer, which spares a call to Telegram while someone waits for
    /// it: returned when the chat's turn is free now (nothing waiting, spacing over), and the chat's next call is
    /// spaced from it. Telegram sends it without telling us how that went, so anything that must be known to have
    /// landed (cards, notices, calls with buttons) goes through the API. Null: sent through the API, as ever.
    /// </summary>
    public async Task<SendMessageRequest?> ReplyInAnswerAsync(long chatId, int messageId, string text, CancellationToken cancellationToken)
    {
        if (await _lanes.UseAsync(chatId, lane => Task.FromResult(lane.TryTakeTurnNow())))
            return new SendMessageRequest { ChatId = chatId, Text = TelegramCardView.Plain(text), ReplyParameters = ReplyTo(messageId), LinkPreviewOptions = NoPreview, IsWebhookResponse = true };
        await ReplyAsync(chatId, messageId, text, cancellationToken);
        return null;
    }

    /// <summary>
    /// Output worth reading whole (a migration's SQL at the approval, a command's console) as a reply to the card, in
    /// the chat's turn; what one message cannot hold is cut and says how much. The other details are the card's lines.
    /// </summary>
    public Task ShowDetailAsync(ChatChannel channel, string cardMessageId, StepDetail detail, CancellationToken cancellationToken)
    {
        if (detail.Output is not { } output)
            return Task.CompletedTask;
        var chatId = ChatId(channel);
        var heading = $"<b>#{detail.ReleaseId} {TelegramCardView.Escape(detail.Step)}</b>: {TelegramCardView.Escape(detail.Text)}\n";
        var room = TelegramCardView.MaxLength - heading.Length - 100;
        var escaped = TelegramCardView.Escape(output);
        var shown = escaped.Length <= room ? escaped : escaped[..room];
        // Never cut an entity (&amp;) in two: Telegram refuses the whole message then.
        if (shown.LastIndexOf('&') is var amp and >= 0 && shown.IndexOf(';', amp) < 0)
            shown = shown[..amp];
        var cut = shown.Length < escaped.Length ? $"\n… {escaped.Length - shown.Length:N0} more characters not shown" : "";
        var html = $"{heading}<pre>{shown}</pre>{cut}";
        var card = int.TryParse(cardMessageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        return _lanes.UseAsync(chatId, lane => lane.SendAsync(c => bot.SendMessage(
            chatId: chatId, text: html, parseMode: ParseMode.Html, replyParameters: ReplyTo(card), linkPreviewOptions: NoPreview, cancellationToken: c), cancellationToken));
    }

    private Task SayAsync(long chatId, string text, int? replyTo, CancellationToken cancellationToken) =>
        _lanes.UseAsync(chatId, lane => lane.SendAsync(c => bot.SendMessage(
            chatId: chatId, text: TelegramCardView.Plain(text), replyParameters: ReplyTo(replyTo), linkPreviewOptions: NoPreview, cancellationToken: c), cancellationToken));

    private static ReplyParameters? ReplyTo(int? messageId) =>
        messageId is { } id ? new ReplyParameters { MessageId = id, AllowSendingWithoutReply = true } : null;

    private static LinkPreviewOptions NoPreview => new() { IsDisabled = true };

    private static long ChatId(ChatChannel channel) =>
        long.TryParse(channel.Id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId)
            ? chatId
            : throw new ArgumentException($"'{channel.Id}' is not a Telegram chat id", nameof(channel));

    /// <summary>How many chats have a lane now; idle ones are dropped.</summary>
    internal int Lanes => _lanes.Count;

    private static async Task<TelegramCard?> RestingAsync(RestingCards resting, long releaseId, CancellationToken cancellationToken) =>
        await resting.FindAsync(releaseId, cancellationToken) is { } card ? TelegramCardView.Render(card) : null;

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as an IChatSurface, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _lanes.DisposeAsync();
    }
}
