using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Host.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>Slack as a chat platform: the channel id is the channel, a card is one message (its <c>ts</c>) updated in place.</summary>
public sealed class SlackSurface(ISlackApi api, RestingCards resting, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackSurface> log)
    : IChatSurface, IAsyncDisposable
{
    public const string PlatformName = "slack";

    // One lane per channel: Slack's limits are per channel, and a reply must not overtake the cards before it.
    private readonly ConcurrentDictionary<string, CardLane<string, SlackCard>> _lanes = new(StringComparer.Ordinal);
    private int _disposed;

    public string Platform => PlatformName;

    public async Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken)
    {
        var known = messageId is null ? (CardId<string>?)null : new CardId<string>(messageId);
        var shown = await Lane(channel.Id).ShowAsync(card.ReleaseId, known, SlackCardView.Render(card), cancellationToken);
        return shown?.Id;
    }

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken) =>
        SayAsync(channel.Id, text, null, cancellationToken);

    public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken)
    {
        var message = SlackNoticeView.Message(channel.Id, notice);
        return Lane(channel.Id).SendAsync(c => api.PostMessageAsync(message, c), cancellationToken);
    }

    /// <summary>A reply to a mention, in its thread and in the same channel's turn as the cards.</summary>
    public Task ReplyInThreadAsync(string channelId, string threadTs, string text, CancellationToken cancellationToken) =>
        SayAsync(channelId, text, threadTs, cancellationToken);

    private Task SayAsync(string channelId, string text, string? threadTs, CancellationToken cancellationToken) =>
        Lane(channelId).SendAsync(c => api.PostMessageAsync(new SlackMessage(channelId, SlackCardView.Plain(text), ThreadTs: threadTs), c), cancellationToken);

    private CardLane<string, SlackCard> Lane(string channelId) =>
        _lanes.GetOrAdd(channelId, id => new CardLane<string, SlackCard>(new SlackChannelCards(id, api, log), options.Value.UpdateInterval, clock, RestingAsync));

    private async Task<SlackCard?> RestingAsync(long releaseId, CancellationToken cancellationToken) =>
        await resting.FindAsync(releaseId, cancellationToken) is { } card ? SlackCardView.Render(card) : null;

    // Registered as itself and as an IChatSurface, so the container disposes it twice.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await Task.WhenAll(_lanes.Values.Select(lane => lane.DisposeAsync().AsTask()));
    }
}
