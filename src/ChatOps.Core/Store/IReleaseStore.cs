using ChatOps.Core.Releases;

namespace ChatOps.Core.Store;

/// <summary>Releases and their append-only audit trail.</summary>
public interface IReleaseStore
{
    /// <summary>Stores a new release unless the environment already has an active one (enforced by the store).</summary>
    Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken);

    /// <summary>The release, with a pending stop request (<see cref="RequestCancelAsync"/>) shown in <see cref="Release.StopRequest"/>.</summary>
    Task<Release?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the record and appends the event in one transaction, fenced by the lease: only the instance that holds
    /// the release's lease (<paramref name="leaseOwner"/>) can write it, otherwise <see cref="LeaseLostException"/>.
    /// </summary>
    Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken);

    /// <summary>
    /// Records a stop asked for while a step of the release runs, here or on another instance, with its audit
    /// event: a cancel, or an abort that rolls back what moved (<see cref="StopIntents.Of"/> reads which from the
    /// event's action); the first request stands. The runner sees it in the record it loads at the next step boundary; the
    /// runner's own saves of the record do not erase it. Returns the request that stands now (the first, which may not be
    /// this one), or null when none is stored any more (the runner already acted on an earlier one), so that the reply
    /// promises only what was stored.
    /// </summary>
    Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken);

    /// <summary>Removes the release's cancel request once the runner has acted on it.</summary>
    /// <returns>True when this call removed it: of two that find the same request, the one that takes it carries it out.</returns>
    Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken);

    Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken);

    Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken);

    Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken);
}

/// <summary>Either the stored release (with its id) or the active release that holds the environment.</summary>
public sealed record StartOutcome(Release? Started, Release? Holder);

public sealed record AuditEvent(
    long? ReleaseId,
    string Environment,
    string Actor,
    string Action,
    string? FromState,
    string? ToState,
    string Detail,
    DateTimeOffset At);

/// <summary>What a stop request asks for, read from its audit event's action.</summary>
public static class StopIntents
{
    public const string CancelAction = "cancel-requested";
    public const string RollBackAction = "rollback-requested";
    public const string RollBackWithDatabaseAction = "rollback-with-db-requested";

    public static StopIntent Of(AuditEvent requested) => requested.Action switch
    {
        RollBackAction => StopIntent.RollBack,
        RollBackWithDatabaseAction => StopIntent.RollBackWithDatabase,
        _ => StopIntent.Cancel,
    };

    public static string ActionOf(StopIntent intent) => intent switch
    {
        StopIntent.RollBack => RollBackAction,
        StopIntent.RollBackWithDatabase => RollBackWithDatabaseAction,
        _ => CancelAction,
    };
}
