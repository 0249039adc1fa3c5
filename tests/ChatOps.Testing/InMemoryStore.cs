using System.Text.Json;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Testing;

/// <summary>
/// The store's ports as plain collections behind one lock, with the rules the real stores keep: one active release
/// per environment, saves fenced by the lease, a chat update recorded with the first change it causes, and records
/// copied in and out as a database would.
/// </summary>
public sealed class InMemoryStore : IReleaseStore, IApprovalStore, IEnvironmentStore, IReleaseLeases, IUpdateLog
{
    private readonly Lock _lock = new();
    private readonly Dictionary<long, string> _releases = [];
    private readonly Dictionary<long, StopRequest> _stopRequests = [];
    private readonly Dictionary<long, long> _rolledBackBy = [];
    private readonly List<AuditEvent> _events = [];
    private readonly Dictionary<string, ActionToken> _tokens = [];
    private readonly Dictionary<string, EnvironmentState> _environments = [];
    private readonly Dictionary<long, (string Owner, DateTimeOffset Until)> _leases = [];
    private readonly Dictionary<(string, string), DateTimeOffset> _updates = [];
    private readonly TimeProvider _clock;
    private long _nextId;

    public InMemoryStore(TimeProvider clock) => _clock = clock;

    public IReadOnlyList<AuditEvent> Events
    {
        get
        {
            lock (_lock)
                return [.. _events];
        }
    }

    public Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken) => Write(() =>
    {
        var holder = All().FirstOrDefault(r => r.IsActive && r.Environment == release.Environment);
        if (holder is not null)
            return new StartOutcome(null, holder);
        release.Id = ++_nextId;
        _releases[release.Id] = Copy(release);
        _events.Add(started with { ReleaseId = release.Id });
        // As the real stores do: the rolled-back release is marked in the same write, beside its record.
        if (release is { Kind: ReleaseKind.Rollback, RollbackOf: { } undone })
            _rolledBackBy[undone] = release.Id;
        return new StartOutcome(release, null);
    });

    public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => Read(() =>
    {
        if (!_releases.TryGetValue(id, out var json))
            return null;
        var release = Restore(id, json);
        // As the real stores do: a request that came as the release ended is still there to be taken.
        release.StopRequest = _stopRequests.GetValueOrDefault(id);
        return release;
    });

    public Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken) => Write(() =>
    {
        if (!_leases.TryGetValue(release.Id, out var lease) || lease.Owner != leaseOwner)
            throw new LeaseLostException(release.Id, leaseOwner);
        _releases[release.Id] = Copy(release);
        if (audit is not null)
            _events.Add(audit);
        return 0;
    });

    public Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken) => Write<StopRequest?>(() =>
    {
        _stopRequests.TryAdd(requested.ReleaseId!.Value, new StopRequest(requested.Actor, StopIntents.Of(requested), requested.At));
        _events.Add(requested);
        return _stopRequests[requested.ReleaseId.Value];
    });

    public Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) => Write(() => _stopRequests.Remove(releaseId));

    public Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<Release>>(() => All()
            .Where(r => (environment is null || r.Environment == environment) && (!activeOnly || r.IsActive))
            .OrderByDescending(r => r.Id).Take(limit).ToList());

    public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) => Write(() =>
    {
        _events.Add(audit);
        return 0;
    });

    public Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<AuditEvent>>(() => _events
            .Where(e => (releaseId is null || e.ReleaseId == releaseId) && (environment is null || e.Environment == environment))
            .TakeLast(limit).ToList());

    public Task IssueAsync(ActionToken token, CancellationToken cancellationToken) => Write(() => _tokens[token.Token] = token);

    public Task<ActionToken?> FindAsync(string token, CancellationToken cancellationToken) => Read(() => _tokens.GetValueOrDefault(token));

    public Task<IReadOnlyList<ActionToken>> OpenAsync(long releaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
        Read<IReadOnlyList<ActionToken>>(() => _tokens.Values.Where(t => t.ReleaseId == releaseId && t.IsOpen(now)).OrderBy(t => t.CreatedAt).ToList());

    public Task<bool> UseAsync(string token, string user, DateTimeOffset at, CancellationToken cancellationToken) => Write(() =>
    {
        if (!_tokens.TryGetValue(token, out var found) || !found.IsOpen(at))
            return false;
        _tokens[token] = found with { UsedAt = at, UsedBy = user };
        return true;
    });

    public Task VoidAsync(long releaseId, string? gate, DateTimeOffset at, CancellationToken cancellationToken) => Write(() =>
    {
        foreach (var token in _tokens.Values.Where(t => t.ReleaseId == releaseId && t.UsedAt is null && (gate is null || t.Gate == gate)).ToList())
            _tokens[token.Token] = token with { UsedAt = at };
        return 0;
    });

    public Task<EnvironmentState> GetAsync(string environment, CancellationToken cancellationToken) => Read(() => Environment(environment));

    public Task RecordServiceAsync(string environment, DeployedService service, CancellationToken cancellationToken) => Write(() =>
    {
        var state = Environment(environment);
        _environments[environment] = state with { Services = [.. state.Services.Where(s => s.Service != service.Service), service] };
        return 0;
    });

    public Task RecordMigrationAsync(string environment, string revision, CancellationToken cancellationToken) => Write(() =>
        _environments[environment] = Environment(environment) with { LastMigration = revision });

    public Task<EnvironmentLock> LockAsync(EnvironmentLock requested, DateTimeOffset now, CancellationToken cancellationToken) => Write(() =>
    {
        var state = Environment(requested.Environment);
        if (state.Lock is { } held && held.IsLive(now))
            return held;
        _environments[requested.Environment] = state with { Lock = requested };
        return requested;
    });

    public Task<EnvironmentLock?> UnlockAsync(string environment, CancellationToken cancellationToken) => Write(() =>
    {
        var state = Environment(environment);
        _environments[environment] = state with { Lock = null };
        return state.Lock;
    });

    // Lease bookkeeping is never part of a chat update's change. Expiry is on the store's clock, as in the real stores.
    public Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) =>
        Read(() =>
        {
            var now = _clock.GetUtcNow();
            if (!_releases.ContainsKey(releaseId))
                return false;
            if (_leases.TryGetValue(releaseId, out var lease) && lease.Owner != owner && lease.Until > now)
                return false;
            _leases[releaseId] = (owner, now + ttl);
            return true;
        });

    public Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) => Read(() =>
    {
        if (!_leases.TryGetValue(releaseId, out var lease) || lease.Owner != owner)
            return false;
        _leases[releaseId] = (owner, _clock.GetUtcNow() + ttl);
        return true;
    });

    public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) => Read(() =>
        _leases.TryGetValue(releaseId, out var lease) && lease.Owner == owner && _leases.Remove(releaseId));

    public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<long>>(() => All()
            .Where(r => r.IsActive && (!_leases.TryGetValue(r.Id, out var lease) || lease.Until <= _clock.GetUtcNow()))
            .Select(r => r.Id).Order().ToList());

    public Task<bool> TryMarkProcessedAsync(string platform, string updateId, CancellationToken cancellationToken) =>
        Read(() => _updates.TryAdd((platform, updateId), _clock.GetUtcNow()));

    public Task<bool> IsProcessedAsync(string platform, string updateId, CancellationToken cancellationToken) =>
        Read(() => _updates.ContainsKey((platform, updateId)));

    public Task<DateTimeOffset?> LastHandledAsync(string platform, CancellationToken cancellationToken) =>
        Read(() => _updates.Where(u => u.Key.Item1 == platform).Select(u => (DateTimeOffset?)u.Value).Max());

    public Task<int> ForgetAsync(DateTimeOffset before, CancellationToken cancellationToken) => Read(() =>
    {
        var old = _updates.Where(u => u.Value < before).Select(u => u.Key).ToList();
        old.ForEach(key => _updates.Remove(key));
        return old.Count;
    });

    private IEnumerable<Release> All() => _releases.Select(entry => Restore(entry.Key, entry.Value));

    private Release Restore(long id, string json)
    {
        var release = Restore(json);
        release.Outputs.RollbackReleaseId ??= _rolledBackBy.GetValueOrDefault(id) is > 0 and var by ? by : null;
        return release;
    }

    private EnvironmentState Environment(string environment) =>
        _environments.GetValueOrDefault(environment) ?? new EnvironmentState(environment, [], null, null);

    private Task<T> Read<T>(Func<T> read)
    {
        lock (_lock)
            return Task.FromResult(read());
    }

    /// <summary>A change; the first one a chat update causes records the update, and a duplicate changes nothing.</summary>
    private Task<T> Write<T>(Func<T> change)
    {
        lock (_lock)
        {
            var receipt = UpdateReceipt.Pending;
            if (receipt is not null && _updates.ContainsKey((receipt.Platform, receipt.UpdateId)))
                throw new DuplicateUpdateException(receipt.Platform, receipt.UpdateId);
            var result = change();
            if (receipt is not null)
            {
                _updates[(receipt.Platform, receipt.UpdateId)] = _clock.GetUtcNow();
                receipt.Recorded();
            }
            return Task.FromResult(result);
        }
    }

    private static string Copy(Release release) => JsonSerializer.Serialize(release);

    private static Release Restore(string json) => JsonSerializer.Deserialize<Release>(json)!;
}
