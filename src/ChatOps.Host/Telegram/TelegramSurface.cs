using System.Collections.Concurrent;
using System.Globalization;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace ChatOps.Host.Telegram;

/// <summary>Telegram as a chat platform: a chat id is the channel id, a card is one message edited in place.</summary>
public sealed class TelegramSurface(ITelegramBotClient bot, IOptions<TelegramOptions> options, TimeProvider clock, ILogger<TelegramSurface> log)
    : IChatSurface, IAsyncDisposable
{
    public const string PlatformName = "telegram";

    private readonly ConcurrentDictionary<long, TelegramChatLane> _lanes = new();
    private int _disposed;

    public string Platform => PlatformName;

    public async Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken)
    {
        var known = int.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (int?)null;
        var shown = await Lane(channel).ShowAsync(card.ReleaseId, known, TelegramCardView.Render(card), cancellationToken);
        return shown?.ToString(CultureInfo.InvariantCulture);
    }

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken) =>
        Lane(channel).SayAsync(text, null, cancellationToken);

    /// <summary>A reply to someone's command, in the same chat's turn as the cards.</summary>
    public Task ReplyAsync(long chatId, int messageId, string text, CancellationToken cancellationToken) =>
        Lane(chatId).SayAsync(text, messageId, cancellationToken);

    private TelegramChatLane Lane(ChatChannel channel) =>
        long.TryParse(channel.Id, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var chatId)
            ? Lane(chatId)
            : throw new ArgumentException($"'{channel.Id}' is not a Telegram chat id", nameof(channel));

    private TelegramChatLane Lane(long chatId) =>
        _lanes.GetOrAdd(chatId, id => new TelegramChatLane(id, bot, options.Value.EditInterval, clock, log));

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as an IChatSurface, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await Task.WhenAll(_lanes.Values.Select(lane => lane.DisposeAsync().AsTask()));
    }
}
