using ChatOps.Core.Releases;

namespace ChatOps.Host.Chat;

/// <summary>
/// One chat's (or channel's) outgoing traffic on any platform. Platforms throttle a conversation above about a
/// message a second, so calls go one at a time, spaced by the interval (or by what a rate-limit answer says).
/// Card updates wait in one slot per release where a newer card replaces an older one: a burst of step updates
/// becomes one edit, and the last card always goes out: a card that fails is kept and tried again, with a growing
/// backoff, until it lands or a newer one replaces it. Other instances edit the same message from their own lanes,
/// so after each edit lands the lane asks <paramref name="resting"/> for the card of a release that nothing moves any
/// more, and puts it back when the chat shows something else.
/// </summary>
internal sealed class CardLane<TId, TCard>(ICardPlatform<TId, TCard> platform, TimeSpan interval, TimeProvider clock, Func<long, CancellationToken, Task<TCard?>> resting)
    : IAsyncDisposable
    where TId : notnull
    where TCard : class, ICardContent<TCard>
{
    // For posts and replies, whose callers wait: a card edit is never given up.
    private const int MaxAttempts = 5;

    // The backoff after an unreachable platform grows with each failure of the same card, up to this many intervals.
    private const int MaxBackoffSteps = 30;

    // A lane without spacing still backs off this much per failure, so an outage is not hammered.
    private static readonly TimeSpan MinBackoffStep = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _turn = new(1, 1);
    private readonly CardSlots<TId, TCard> _slots = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _flusher = Task.CompletedTask;
    private DateTimeOffset _next;

    /// <summary>Nothing in turn or waiting for it, no card left to send, and the next call may go at once: the lane can be dropped.</summary>
    public bool IsIdle =>
        _turn.CurrentCount == 1 && Volatile.Read(ref _flusher).IsCompleted && !_slots.HasPending && clock.GetUtcNow() >= _next;

    /// <summary>Posts the card the first time, else queues an edit; returns the card's message id.</summary>
    public async Task<CardId<TId>?> ShowAsync(long releaseId, CardId<TId>? known, TCard card, CancellationToken cancellationToken)
    {
        if (known is not null || _slots.IsShown(releaseId))
            return Queue(releaseId, known, card);
        // Not on screen yet: post it in this lane's turn, unless a concurrent call posted it meanwhile.
        return await InTurnAsync(async ct =>
        {
            if (_slots.IsShown(releaseId))
                return Queue(releaseId, null, card);
            var posted = new CardId<TId>(await Spaced(c => platform.PostAsync(card, c), ct));
            _slots.Posted(releaseId, posted, card);
            return posted;
        }, cancellationToken);
    }

    /// <summary>Any other call (replies, notices) in this lane's turn, spaced like the cards.</summary>
    public Task<T> SendAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        InTurnAsync(ct => Spaced(call, ct), cancellationToken);

    /// <summary>
    /// Takes this turn for a call that goes out another way (a reply in a webhook's answer) when nothing in the lane
    /// is waiting or under way and the spacing allows a call now; the lane's next call is spaced from this one.
    /// False: the caller sends through <see cref="SendAsync{T}"/>, behind what is already waiting.
    /// </summary>
    public bool TryTakeTurnNow()
    {
        if (_slots.HasPending || !Volatile.Read(ref _flusher).IsCompleted || !_turn.Wait(0))
            return false;
        try
        {
            var now = clock.GetUtcNow();
            if (now < _next)
                return false;
            _next = now + interval;
            return true;
        }
        finally
        {
            _turn.Release();
        }
    }

    private CardId<TId>? Queue(long releaseId, CardId<TId>? known, TCard card)
    {
        var id = _slots.Queue(releaseId, known, card, out var startFlusher);
        if (startFlusher)
            Volatile.Write(ref _flusher, Task.Run(FlushAsync));
        return id;
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
            _slots.FlusherCrashed();
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

    /// <summary>Sends the longest-waiting card of this lane; false when none is left (the flusher then stops).</summary>
    private async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        if (_slots.Take() is not var (releaseId, slot, card, known))
            return false;
        try
        {
            if (known is { } message)
                await Spaced(async c => { await platform.EditAsync(message.Id, card, c); return message; }, cancellationToken);
            else
            {
                var posted = await Spaced(c => platform.PostAsync(card, c), cancellationToken);
                _slots.Moved(slot, new CardId<TId>(posted));
                platform.LogReposted(releaseId);
            }
            _slots.Shown(slot, card);
            await PutBackRestingCardAsync(releaseId, slot, card, cancellationToken);
        }
        // Stopping is no failure of the card; whatever the platform does not know goes on to the flusher.
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            && platform.Classify(e) is var failure and not CardFailure.Unknown)
        {
            Failed(failure, e, releaseId, slot, card);
        }
        return true;
    }

    // The stored card of a release that nothing moves any more goes back on screen when this edit overwrote it. A card
    // put back here is not checked again once it lands, so a render that differs each time cannot start a loop.
    private async Task PutBackRestingCardAsync(long releaseId, CardSlot<TId, TCard> slot, TCard sent, CancellationToken cancellationToken)
    {
        if (_slots.WasPutBack(slot, sent))
            return;
        if (await resting(releaseId, cancellationToken) is { } stored && !stored.SameAs(sent))
            _slots.PutBack(slot, stored);
    }

    private void Failed(CardFailure failure, Exception error, long releaseId, CardSlot<TId, TCard> slot, TCard card)
    {
        switch (failure)
        {
            case CardFailure.NotModified:
                _slots.Shown(slot, card);
                break;
            case CardFailure.Gone:
                // Someone deleted the card: the next turn posts it anew, and the release learns the new id at its next update.
                _slots.Moved(slot, null);
                _slots.Requeue(slot, card, countAttempt: false);
                break;
            case CardFailure.RateLimited:
                // Spaced already pushed the next call back by the platform's retry-after.
                platform.LogFailed(failure, error, releaseId, again: true);
                _slots.Requeue(slot, card, countAttempt: false);
                break;
            case CardFailure.Refused:
                platform.LogFailed(failure, error, releaseId, again: false);
                break;
            case CardFailure.Transient:
                _slots.Requeue(slot, card, countAttempt: true);
                platform.LogFailed(failure, error, releaseId, again: true);
                break;
            case CardFailure.Unreachable:
                var attempts = _slots.Requeue(slot, card, countAttempt: true);
                // A backoff stands when it is longer than the usual spacing (or the platform's pause after a 5xx).
                var backoff = clock.GetUtcNow() + 2 * Math.Min(attempts, MaxBackoffSteps) * (interval > MinBackoffStep ? interval : MinBackoffStep);
                _next = backoff > _next ? backoff : _next;
                platform.LogFailed(failure, error, releaseId, again: true);
                break;
            default:
                // SendNextAsync lets Unknown failures through to the flusher; anything else is a new kind to handle here.
                throw new ArgumentOutOfRangeException(nameof(failure), failure, "No handling for this kind of card failure");
        }
    }


    public async ValueTask DisposeAsync()
    {
        // The final cards of a stopping bot still go out, within reason.
        var flusher = Volatile.Read(ref _flusher);
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(5), clock));
        await _stopping.CancelAsync();
        await Task.WhenAny(flusher, Task.Delay(TimeSpan.FromSeconds(1), clock));
        // _stopping and _turn stay undisposed: a flusher that outlived the wait may still touch them, and
        // neither holds anything the garbage collector cannot take back.
    }
}
