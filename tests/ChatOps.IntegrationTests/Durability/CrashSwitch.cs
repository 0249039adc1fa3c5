using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>
/// Kills a host's bookkeeping at one chosen moment: the step has done its outside work, but writing the
/// outcome down fails, and from then on the host writes nothing and never gives its leases back — as if
/// the process had died there.
/// </summary>
public sealed class CrashSwitch(Func<Release, AuditEvent?, bool> crashWhen)
{
    private volatile bool _crashed;

    public bool Crashed => _crashed;

    public static CrashSwitch AfterStep(string step) => step == "Deploy:midway"
        ? new CrashSwitch((r, a) => a is null && r.State == ReleaseState.Deploy && r.Outputs.Machines.Count(m => m.After is not null) == 2)
        : new CrashSwitch((r, a) => a is not null && a.FromState == step && a.Action != "step-started");

    public void Install(IServiceCollection services)
    {
        // The host registers its stores as factories over one store object; wrap what those factories give.
        var store = services.Last(d => d.ServiceType == typeof(IReleaseStore)).ImplementationFactory!;
        var leases = services.Last(d => d.ServiceType == typeof(IReleaseLeases)).ImplementationFactory!;
        services.AddSingleton<IReleaseStore>(sp => new Store(this, (IReleaseStore)store(sp)));
        services.AddSingleton<IReleaseLeases>(sp => new Leases(this, (IReleaseLeases)leases(sp)));
    }

    private void Dead()
    {
        if (_crashed)
            throw new IOException("simulated crash: this host is dead");
    }

    private sealed class Store(CrashSwitch crash, IReleaseStore real) : IReleaseStore
    {
        public Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken)
        {
            crash.Dead();
            return real.TryStartAsync(release, started, cancellationToken);
        }

        public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => real.GetAsync(id, cancellationToken);

        public Task SaveAsync(Release release, AuditEvent? audit, CancellationToken cancellationToken)
        {
            crash.Dead();
            if (crash.ShouldCrash(release, audit))
            {
                crash._crashed = true;
                crash.Dead();
            }
            return real.SaveAsync(release, audit, cancellationToken);
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

    private bool ShouldCrash(Release release, AuditEvent? audit) => crashWhen(release, audit);

    private sealed class Leases(CrashSwitch crash, IReleaseLeases real) : IReleaseLeases
    {
        public Task<bool> TryClaimAsync(long releaseId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult(false) : real.TryClaimAsync(releaseId, owner, now, until, cancellationToken);

        // A dead process gives nothing back: its lease runs out by itself.
        public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.CompletedTask : real.ReleaseAsync(releaseId, owner, cancellationToken);

        public Task<IReadOnlyList<long>> UnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult<IReadOnlyList<long>>([]) : real.UnclaimedAsync(now, cancellationToken);
    }
}
