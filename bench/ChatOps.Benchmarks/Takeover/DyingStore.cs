using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Benchmarks.Takeover;

/// <summary>The release store of a host that a <see cref="CrashSwitch"/> can kill: reads pass, writes fail once it is dead.</summary>
internal sealed class DyingStore(CrashSwitch crash, IReleaseStore real) : IReleaseStore
{
    public Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken)
    {
        crash.Dead();
        return real.TryStartAsync(release, started, cancellationToken);
    }

    public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => real.GetAsync(id, cancellationToken);

    public Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken)
    {
        crash.Dead();
        crash.CrashIfMidDeploy(release, audit);
        return real.SaveAsync(release, audit, leaseOwner, cancellationToken);
    }

    public Task RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken)
    {
        crash.Dead();
        return real.RequestCancelAsync(requested, cancellationToken);
    }

    public Task ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken)
    {
        crash.Dead();
        return real.ClearCancelRequestAsync(releaseId, cancellationToken);
    }

    public Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
        real.ListAsync(environment, activeOnly, limit, cancellationToken);

    public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken)
    {
        crash.Dead();
        return real.AppendAsync(audit, cancellationToken);
    }

    public Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
        real.EventsAsync(releaseId, environment, limit, cancellationToken);
}
