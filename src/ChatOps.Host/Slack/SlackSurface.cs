using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

/// <summary>Slack as a chat platform: the channel id is the channel, a card is one message (its <c>ts</c>) updated in place.</summary>
public sealed class SlackSurface(ISlackApi api, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackSurface> log)
    : IChatSurface, IAsyncDisposable
{
    public const string PlatformName = "slack";

    private readonly ConcurrentDictionary<string, SlackChannelLane> _lanes = new(StringComparer.Ordinal);
    private int _disposed;

    public string Platform => PlatformName;

    public Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken) =>
        Lane(channel.Id).ShowAsync(card.ReleaseId, messageId, SlackCardView.Render(card), cancellationToken);

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken) =>
        Lane(channel.Id).SayAsync(text, null, cancellationToken);

    /// <summary>A reply to a mention, in its thread and in the same channel's turn as the cards.</summary>
    public Task ReplyInThreadAsync(string channelId, string threadTs, string text, CancellationToken cancellationToken) =>
        Lane(channelId).SayAsync(text, threadTs, cancellationToken);

    private SlackChannelLane Lane(string channelId) =>
        _lanes.GetOrAdd(channelId, id => new SlackChannelLane(id, api, options.Value.UpdateInterval, clock, log));

    // Registered as itself and as an IChatSurface, so the container disposes it twice.
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await Task.WhenAll(_lanes.Values.Select(lane => lane.DisposeAsync().AsTask()));
    }
}
