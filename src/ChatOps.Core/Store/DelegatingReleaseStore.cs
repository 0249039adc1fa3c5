using ChatOps.Core.Releases;

namespace ChatOps.Core.Store;

/// <summary>
/// A release store that hands every call to another: the base of a decorator that adds to a few calls (metrics,
/// and the tests' injected faults) and passes the rest on unchanged.
/// </summary>
public abstract class DelegatingReleaseStore(IReleaseStore inner) : IReleaseStore
{
    /// <summary>The store every call goes to.</summary>
    protected IReleaseStore Inner { get; } = inner;

    public virtual Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken) =>
        Inner.TryStartAsync(release, started, cancellationToken);

    public virtual Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

    public virtual Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken) =>
        Inner.SaveAsync(release, audit, leaseOwner, cancellationToken);

    public virtual Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken) =>
        Inner.RequestCancelAsync(requested, cancellationToken);

    public virtual Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) =>
        Inner.ClearCancelRequestAsync(releaseId, cancellationToken);

    public virtual Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
        Inner.ListAsync(environment, activeOnly, limit, cancellationToken);

    public virtual Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) => Inner.AppendAsync(audit, cancellationToken);

    public virtual Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
        Inner.EventsAsync(releaseId, environment, limit, cancellationToken);
}
