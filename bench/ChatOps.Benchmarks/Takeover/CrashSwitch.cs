using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks.Takeover;

/// <summary>
/// Copied from tests/ChatOps.IntegrationTests/Durability/CrashSwitch.cs, plus the moment of the crash: kills a host's
/// bookkeeping mid-Deploy (two of four machines updated, the checkpoint fails); from then on the host writes
/// nothing and never gives its lease back, as if the process had died there.
/// </summary>
public sealed class CrashSwitch
{
    private volatile bool _crashed;

    public bool Crashed => _crashed;

    public DateTimeOffset CrashedAt { get; private set; }

    public void Install(IServiceCollection services)
    {
        // The host registers its stores as factories over one store object; wrap what those factories give.
        var store = services.Last(d => d.ServiceType == typeof(IReleaseStore)).ImplementationFactory!;
        var leases = services.Last(d => d.ServiceType == typeof(IReleaseLeases)).ImplementationFactory!;
        services.AddSingleton<IReleaseStore>(sp => new DyingStore(this, (IReleaseStore)store(sp)));
        services.AddSingleton<IReleaseLeases>(sp => new DyingLeases(this, (IReleaseLeases)leases(sp)));
    }

    internal void Dead()
    {
        if (_crashed)
            throw new IOException("simulated crash: this host is dead");
    }

    internal void CrashIfMidDeploy(Release release, AuditEvent? audit)
    {
        if (audit is null && release.State == ReleaseState.Deploy && release.Outputs.Machines.Count(m => m.After is not null) == 2)
        {
            CrashedAt = TimeProvider.System.GetUtcNow();
            _crashed = true;
        }
        Dead();
    }

    private sealed class DyingLeases(CrashSwitch crash, IReleaseLeases real) : IReleaseLeases
    {
        public Task<bool> TryClaimAsync(long releaseId, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult(false) : real.TryClaimAsync(releaseId, owner, now, until, cancellationToken);

        public Task<bool> RenewAsync(long releaseId, string owner, DateTimeOffset until, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult(false) : real.RenewAsync(releaseId, owner, until, cancellationToken);

        // A dead process gives nothing back: its lease runs out by itself.
        public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.CompletedTask : real.ReleaseAsync(releaseId, owner, cancellationToken);

        public Task<IReadOnlyList<long>> UnclaimedAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult<IReadOnlyList<long>>([]) : real.UnclaimedAsync(now, cancellationToken);
    }
}
