namespace ChatOps.Host.ChatLanes;

/// <summary>
/// The cards of one lane waiting to go out: one slot per release, where a newer card replaces an older one that
/// has not been sent, and the longest-waiting card goes first. Also says when the lane needs a flusher.
/// </summary>
internal sealed class CardSlots<TId, TCard>
    where TId : notnull
    where TCard : class, ICardContent<TCard>
{
    private readonly Lock _sync = new();
    private readonly Dictionary<long, CardSlot<TId, TCard>> _cards = [];
    private bool _flushing;
    private long _sequence;

    public bool HasPending
    {
        get
        {
            lock (_sync)
                return _flushing || _cards.Values.Any(c => c.Pending is not null);
        }
    }

    public bool IsShown(long releaseId)
    {
        lock (_sync)
            return _cards.ContainsKey(releaseId);
    }

    public void Posted(long releaseId, CardId<TId> id, TCard card)
    {
        lock (_sync)
            _cards[releaseId] = new CardSlot<TId, TCard> { Id = id, Shown = card };
    }

    /// <summary>Queues the card unless it is what the chat shows already; <paramref name="startFlusher"/> when nobody is sending.</summary>
    public CardId<TId>? Queue(long releaseId, CardId<TId>? known, TCard card, out bool startFlusher)
    {
        lock (_sync)
        {
            startFlusher = false;
            if (!_cards.TryGetValue(releaseId, out var slot))
                _cards[releaseId] = slot = new CardSlot<TId, TCard> { Id = known };
            if (slot.Id is not null && card.SameAs(slot.Shown))
                slot.Pending = null;
            else
            {
                slot.Pending = card;
                slot.Since = ++_sequence;
                startFlusher = !_flushing;
                _flushing = true;
            }
            return slot.Id ?? known;
        }
    }

    /// <summary>The longest-waiting card; null when none is left, and the flusher then stops.</summary>
    public (long ReleaseId, CardSlot<TId, TCard> Slot, TCard Card, CardId<TId>? Known)? Take()
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

    /// <summary>The flusher stopped on a bug; the next card starts a new one.</summary>
    public void FlusherCrashed()
    {
        lock (_sync)
            _flushing = false;
    }

    public void Shown(CardSlot<TId, TCard> slot, TCard card)
    {
        lock (_sync)
        {
            slot.Shown = card;
            slot.Attempts = 0;
        }
    }

    public void Moved(CardSlot<TId, TCard> slot, CardId<TId>? id)
    {
        lock (_sync)
            slot.Id = id;
    }

    /// <summary>
    /// Puts a card that failed back in line, unless a newer one is already waiting; returns how many times in a row
    /// the slot failed (for the backoff). A card is never dropped here: the chat must end up showing the last one.
    /// </summary>
    public int Requeue(CardSlot<TId, TCard> slot, TCard card, bool countAttempt)
    {
        lock (_sync)
        {
            if (countAttempt)
                slot.Attempts++;
            if (slot.Pending is null)
            {
                slot.Pending = card;
                slot.Since = ++_sequence;
            }
            return slot.Attempts;
        }
    }

    /// <summary>Queues the stored card of a release whose message another instance's edit overwrote, unless a newer card waits.</summary>
    public void PutBack(CardSlot<TId, TCard> slot, TCard card)
    {
        lock (_sync)
        {
            if (slot.Pending is not null)
                return;
            slot.Pending = card;
            slot.PutBack = card;
            slot.Since = ++_sequence;
        }
    }

    /// <summary>True when the card that just landed is one <see cref="PutBack"/> queued.</summary>
    public bool WasPutBack(CardSlot<TId, TCard> slot, TCard card)
    {
        lock (_sync)
            return ReferenceEquals(slot.PutBack, card);
    }
}

internal sealed class CardSlot<TId, TCard>
    where TId : notnull
    where TCard : class
{
    public CardId<TId>? Id { get; set; }
    public TCard? Shown { get; set; }
    public TCard? Pending { get; set; }
    public long Since { get; set; }
    public int Attempts { get; set; }
    public TCard? PutBack { get; set; }
}
