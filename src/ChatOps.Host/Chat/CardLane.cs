namespace ChatOps.Host.Chat;

/// <summary>
/// One chat's (or channel's) outgoing traffic on any platform. Platforms throttle a conversation above about a
/// message a second, so calls go one at a time, spaced by the interval (or by what a rate-limit answer says).
/// Card updates wait in one slot per release where a newer card replaces an older one: a burst of step updates
/// becomes one edit, and the last card always goes out.
/// </summary>
internal sealed partial class CardLane<TId, TCard>(ICardPlatform<TId, TCard> platform, TimeSpan interval, TimeProvider clock) : IAsyncDisposable
    where TId : notnull
    where TCard : class, ICardContent<TCard>
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
    public async Task<CardId<TId>?> ShowAsync(long releaseId, CardId<TId>? known, TCard card, CancellationToken cancellationToken)
    {
        lock (_sync)
        {
            if (_cards.ContainsKey(releaseId) || known is not null)
                return Queue(releaseId, known, card);
        }
        // Not on screen yet: post it in this lane's turn, unless a concurrent call posted it meanwhile.
        return await InTurnAsync(async ct =>
        {
            lock (_sync)
            {
                if (_cards.ContainsKey(releaseId))
                    return Queue(releaseId, null, card);
            }
            var posted = new CardId<TId>(await Spaced(c => platform.PostAsync(card, c), ct));
            lock (_sync)
                _cards[releaseId] = new CardSlot { Id = posted, Shown = card };
            return posted;
        }, cancellationToken);
    }

    /// <summary>Any other call (replies, notices) in this lane's turn, spaced like the cards.</summary>
    public Task<T> SendAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        InTurnAsync(ct => Spaced(call, ct), cancellationToken);

    private CardId<TId>? Queue(long releaseId, CardId<TId>? known, TCard card)
    {
        if (!_cards.TryGetValue(releaseId, out var slot))
            _cards[releaseId] = slot = new CardSlot { Id = known };
        if (slot.Id is not null && card.SameAs(slot.Shown))
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
        return slot.Id ?? known;
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
            platform.LogStopped();
        }
        catch (Exception e)
        {
            // SendNextAsync handles the failures the platform knows; this is a bug, and the next card starts a new flusher.
            lock (_sync)
                _flushing = false;
            platform.LogCrashed(e);
        }
    }

    // One call at a time; a rate-limited one is tried again in a later turn, once the platform's wait is over.
    private async Task<T> InTurnAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await _turn.WaitAsync(cancellationToken);
            try
            {
                var wait = _next - clock.GetUtcNow();
                if (wait > TimeSpan.Zero)
                    await Task.Delay(wait, clock, cancellationToken);
                return await call(cancellationToken);
            }
            catch (Exception e) when (attempt < MaxAttempts && platform.RetryAfter(e) is not null)
            {
                platform.LogRetrying(e);
            }
            finally
            {
                _turn.Release();
            }
        }
    }

    // Every call to the platform goes through here, inside the turn: it decides when the next one may go.
    private async Task<T> Spaced<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var pause = interval;
        try
        {
            return await call(cancellationToken);
        }
        catch (Exception e) when (platform.RetryAfter(e) is { } retryAfter)
        {
            pause = retryAfter;
            throw;
        }
        finally
        {
            _next = clock.GetUtcNow() + pause;
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
        // _stopping and _turn stay undisposed: a flusher that outlived the wait may still touch them, and
        // neither holds anything the garbage collector cannot take back.
    }

    private sealed class CardSlot
    {
        public CardId<TId>? Id { get; set; }
        public TCard? Shown { get; set; }
        public TCard? Pending { get; set; }
        public long Since { get; set; }
        public int Attempts { get; set; }
    }
}
