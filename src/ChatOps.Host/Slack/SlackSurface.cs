using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Host.Chat;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>Slack as a chat platform: the channel id is the channel, a card is one message (its <c>ts</c>) updated in place.</summary>
public sealed class SlackSurface(ISlackApi api, RestingCards resting, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackSurface> log)
    : IChatSurface, IAsyncDisposable
{
    public const string PlatformName = "slack";

    // One lane per channel: Slack's limits are per channel, and a reply must not overtake the cards before it.
    private readonly CardLanes<string, string, SlackCard> _lanes = new(
        id => new CardLane<string, SlackCard>(new SlackChannelCards(id, api, log), options.Value.UpdateInterval, clock, (releaseId, cancellationToken) => RestingAsync(resting, releaseId, cancellationToken)), clock);
    private readonly ConcurrentDictionary<string, SlackThreadReplies> _threads = new(StringComparer.Ordinal);
    private int _disposed;

    public string Platform => PlatformName;

    public async Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken)
    {
        var known = messageId is null ? (CardId<string>?)null : new CardId<string>(messageId);
        var shown = await _lanes.UseAsync(channel.Id, lane => lane.ShowAsync(card.ReleaseId, known, SlackCardView.Render(card), cancellationToken));
        return shown?.Id;
    }

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken) =>
        SayAsync(channel.Id, text, null, cancellationToken);

    public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken)
    {
        var message = SlackNoticeView.Message(channel.Id, notice);
        return _lanes.UseAsync(channel.Id, lane => lane.SendAsync(c => api.PostMessageAsync(message, c), cancellationToken));
    }

    /// <summary>
    /// Into the card's thread (its ts is the card's message id), so that the channel itself shows only the cards and
    /// the messages that call people. Queued: the lines of a busy moment go out together.
    /// </summary>
    public Task ShowDetailAsync(ChatChannel channel, string cardMessageId, StepDetail detail, CancellationToken cancellationToken)
    {
        Threads(channel.Id).Add(cardMessageId, SlackDetailView.Line(detail));
        return Task.CompletedTask;
    }

    /// <summary>A reply to a mention, in its thread and in the same channel's turn as the cards.</summary>
    public Task ReplyInThreadAsync(string channelId, string threadTs, string text, CancellationToken cancellationToken) =>
        SayAsync(channelId, text, threadTs, cancellationToken);

    private Task SayAsync(string channelId, string text, string? threadTs, CancellationToken cancellationToken) =>
        _lanes.UseAsync(channelId, lane => lane.SendAsync(c => api.PostMessageAsync(new SlackMessage(channelId, SlackCardView.Plain(text), ThreadTs: threadTs), c), cancellationToken));

    /// <summary>How many channels have a lane now; idle ones are dropped.</summary>
    internal int Lanes => _lanes.Count;

    private SlackThreadReplies Threads(string channelId) =>
        _threads.GetOrAdd(channelId, id => new SlackThreadReplies(id,
            (send, cancellationToken) => _lanes.UseAsync(id, lane => lane.SendAsync(async c =>
            {
                await send(c);
                return true;
            }, cancellationToken)), api, clock, log));

    private static async Task<SlackCard?> RestingAsync(RestingCards resting, long releaseId, CancellationToken cancellationToken) =>
        await resting.FindAsync(releaseId, cancellationToken) is { } card ? SlackCardView.Render(card) : null;

    // Registered as itself and as an IChatSurface, so the container disposes it twice.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        // Thread replies first: they go out through the lanes.
        await Task.WhenAll(_threads.Values.Select(threads => threads.DisposeAsync().AsTask()));
        await _lanes.DisposeAsync();
    }
}
