namespace ChatOps.Host.Chat;

internal sealed partial class CardLane<TId, TCard>
{
    /// <summary>Sends the longest-waiting card of this lane; false when none is left (the flusher then stops).</summary>
    private async Task<bool> SendNextAsync(CancellationToken cancellationToken)
    {
        if (Take() is not var (releaseId, slot, card, known))
            return false;
        try
        {
            if (known is { } message)
                await Spaced(async c => { await platform.EditAsync(message.Id, card, c); return message; }, cancellationToken);
            else
            {
                var posted = await Spaced(c => platform.PostAsync(card, c), cancellationToken);
                lock (_sync)
                    slot.Id = new CardId<TId>(posted);
                platform.LogReposted(releaseId);
            }
            Shown(slot, card);
        }
        // Stopping is no failure of the card; whatever the platform does not know goes on to the flusher.
        catch (Exception e) when (!(e is OperationCanceledException && cancellationToken.IsCancellationRequested)
            && platform.Classify(e) is var failure and not CardFailure.Unknown)
        {
            Failed(failure, e, releaseId, slot, card);
        }
        return true;
    }

    private void Failed(CardFailure failure, Exception error, long releaseId, CardSlot slot, TCard card)
    {
        switch (failure)
        {
            case CardFailure.NotModified:
                Shown(slot, card);
                break;
            case CardFailure.Gone:
                // Someone deleted the card: the next turn posts it anew, and the release learns the new id at its next update.
                lock (_sync)
                    slot.Id = null;
                Requeue(slot, card, countAttempt: false);
                break;
            case CardFailure.RateLimited:
                // Spaced already pushed the next call back by the platform's retry-after.
                platform.LogFailed(failure, error, releaseId, again: true);
                Requeue(slot, card, countAttempt: false);
                break;
            case CardFailure.Refused:
                platform.LogFailed(failure, error, releaseId, again: false);
                break;
            case CardFailure.Transient:
                platform.LogFailed(failure, error, releaseId, Requeue(slot, card, countAttempt: true));
                break;
            case CardFailure.Unreachable:
                var again = Requeue(slot, card, countAttempt: true);
                // A backoff stands when it is longer than the usual spacing.
                var backoff = clock.GetUtcNow() + TimeSpan.FromSeconds(2 * slot.Attempts);
                _next = backoff > _next ? backoff : _next;
                platform.LogFailed(failure, error, releaseId, again);
                break;
            default:
                // SendNextAsync lets Unknown failures through to the flusher; anything else is a new kind to handle here.
                throw new ArgumentOutOfRangeException(nameof(failure), failure, "No handling for this kind of card failure");
        }
    }

    private (long ReleaseId, CardSlot Slot, TCard Card, CardId<TId>? Known)? Take()
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
            return (next.Key, slot, card, slot.Id);
        }
    }

    private void Shown(CardSlot slot, TCard card)
    {
        lock (_sync)
        {
            slot.Shown = card;
            slot.Attempts = 0;
        }
    }

    // A newer card queued meanwhile wins over the one that failed.
    private bool Requeue(CardSlot slot, TCard card, bool countAttempt)
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
