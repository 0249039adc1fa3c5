namespace ChatOps.Host.Slack;

/// <summary>
/// One channel's outgoing traffic. Slack allows about one post a second per channel, so calls go one at a time,
/// spaced by the update interval (a 429 is waited out by the client). Card updates wait in one slot per release
/// where a newer card replaces an older one: a burst of step changes becomes one chat.update, and the last card
/// always goes out.
/// </summary>
internal sealed partial class SlackChannelLane(string channelId, ISlackApi api, TimeSpan interval, TimeProvider clock, ILogger log) : IAsyncDisposable
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

    /// <summary>Posts the card the first time, else queues an update; returns the card's ts.</summary>
    public async Task<string?> ShowAsync(long releaseId, string? ts, SlackCard card, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_cards.ContainsKey(releaseId) || ts is not null)
                return Queue(releaseId, ts, card);
        }
        // Not on screen yet: post it in this channel's turn, unless a concurrent call posted it meanwhile.
        return await InTurnAsync(async ct =>
        {
            lock (_sync)
            {
                if (_cards.ContainsKey(releaseId))
                    return Queue(releaseId, null, card);
            }
            var posted = await api.PostMessageAsync(card.Message(channelId), ct);
            lock (_sync)
                _cards[releaseId] = new CardSlot { Ts = posted.Ts, Shown = card };
            return posted.Ts;
        }, cancellationToken);
    }

    public Task SayAsync(string text, string? threadTs, CancellationToken cancellationToken) =>
        InTurnAsync(ct => api.PostMessageAsync(new SlackMessage(channelId, SlackCardView.Plain(text), ThreadTs: threadTs), ct), cancellationToken);

    private string? Queue(long releaseId, string? ts, SlackCard card)
    {
        if (!_cards.TryGetValue(releaseId, out var slot))
            _cards[releaseId] = slot = new CardSlot { Ts = ts };
        if (slot.Ts is not null && card.SameAs(slot.Shown))
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
        return slot.Ts ?? ts;
    }

    private async Task FlushAsync()
    {
        var ct = _stopping.Token;
        try
        {
            while (await InTurnAsync(SendNextAsync, ct))
            {
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            log.LogWarning("Stopped with card updates still waiting for Slack channel {ChannelId}", channelId);
        }
        catch (Exception e)
        {
            // SendNextAsync handles Slack's failures; this is a bug, and the next card starts a new flusher.
            lock (_sync)
                _flushing = false;
            log.LogError(e, "Card updates for Slack channel {ChannelId} stopped", channelId);
        }
    }

    // Every call to Slack for this channel goes through here: one at a time, the next one an interval later.
    private async Task<T> InTurnAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken);
        try
        {
            var wait = _next - clock.GetUtcNow();
            if (wait > TimeSpan.Zero)
                await Task.Delay(wait, clock, cancellationToken);
            return await call(cancellationToken);
        }
        finally
        {
            // A backoff set by a failed send stands when it is longer than the usual spacing.
            var spaced = clock.GetUtcNow() + interval;
            _next = spaced > _next ? spaced : _next;
            _turn.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The final cards of a stopping bot still go out, within reason.
        Task flusher;
        lock (_sync)
            flusher = _flusher;
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(5), clock));
        await _stopping.CancelAsync();
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(1), clock));
        _stopping.Dispose();
        _turn.Dispose();
    }

    private sealed class CardSlot
    {
        public string? Ts { get; set; }
        public SlackCard? Shown { get; set; }
        public SlackCard? Pending { get; set; }
        public long Since { get; set; }
        public int Attempts { get; set; }
    }
}
