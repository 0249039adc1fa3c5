namespace ChatOps.Host.ChatLanes;

/// <summary>
/// One <see cref="CardLane{TId,TCard}"/> per chat, made on first use and dropped once idle (nobody using it, no card
/// waiting, its spacing over), so a bot that has talked to ten thousand chats holds lanes only for the ones it talks
/// to now. A dropped lane's cards are edited again through the message id their releases recorded.
/// </summary>
internal sealed class CardLanes<TKey, TId, TCard>(Func<TKey, CardLane<TId, TCard>> create, TimeProvider clock) : IAsyncDisposable
    where TKey : notnull
    where TId : notnull
    where TCard : class, ICardContent<TCard>
{
    // Idle lanes are looked for at most this often: one pass over every lane, not one per call.
    private static readonly TimeSpan SweepEvery = TimeSpan.FromSeconds(30);

    private readonly Lock _gate = new();
    private readonly Dictionary<TKey, Entry> _lanes = [];
    private DateTimeOffset _nextSweep = clock.GetUtcNow() + SweepEvery;

    public int Count
    {
        get
        {
            lock (_gate)
                return _lanes.Count;
        }
    }

    /// <summary>Runs <paramref name="use"/> on the chat's lane; the lane is not dropped while it runs.</summary>
    public async Task<T> UseAsync<T>(TKey key, Func<CardLane<TId, TCard>, Task<T>> use)
    {
        Entry entry;
        lock (_gate)
        {
            if (!_lanes.TryGetValue(key, out entry!))
                _lanes[key] = entry = new Entry(create(key));
            entry.Users++;
        }
        try
        {
            return await use(entry.Lane);
        }
        finally
        {
            lock (_gate)
                entry.Users--;
            if (clock.GetUtcNow() >= _nextSweep)
                Sweep();
        }
    }

    public Task UseAsync(TKey key, Func<CardLane<TId, TCard>, Task> use) =>
        UseAsync(key, async lane =>
        {
            await use(lane);
            return true;
        });

    /// <summary>Drops every lane nobody uses that has nothing left to send and whose spacing is over.</summary>
    public void Sweep()
    {
        lock (_gate)
        {
            _nextSweep = clock.GetUtcNow() + SweepEvery;
            foreach (var key in _lanes.Where(l => l.Value.Users == 0 && l.Value.Lane.IsIdle).Select(l => l.Key).ToList())
                _lanes.Remove(key);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<CardLane<TId, TCard>> lanes;
        lock (_gate)
            lanes = [.. _lanes.Values.Select(e => e.Lane)];
        await Task.WhenAll(lanes.Select(lane => lane.DisposeAsync().AsTask()));
    }

    private sealed class Entry(CardLane<TId, TCard> lane)
    {
        public CardLane<TId, TCard> Lane { get; } = lane;

        public int Users { get; set; }
    }
}
