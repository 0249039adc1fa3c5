using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>
/// Kills a host's bookkeeping at one chosen moment: the step has done its outside work, but writing the
/// outcome down fails, and from then on the host writes nothing and never gives its leases back — as if
/// the process had died there. Or, <see cref="PauseInstead"/>, freezes it there (a long GC pause, a stopped VM)
/// until <see cref="Wake"/>: the write and the lease renewals wait, then go on as if nothing happened.
/// </summary>
public sealed class CrashSwitch(Func<Release, AuditEvent?, bool> crashWhen)
{
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _frozenWriteDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _wake;
    private volatile bool _crashed;

    public bool Crashed => _crashed;

    /// <summary>Completes when the host froze at the chosen moment.</summary>
    public Task Paused => _paused.Task;

    /// <summary>When the host died, for the takeover benchmark (which compiles this file too).</summary>
    public DateTimeOffset CrashedAt { get; private set; }

    /// <summary>The host has died: from now on it writes nothing.</summary>
    public void Kill()
    {
        CrashedAt = TimeProvider.System.GetUtcNow();
        _crashed = true;
    }

    public CrashSwitch PauseInstead()
    {
        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return this;
    }

    public void Wake() => _wake?.TrySetResult();

    private Task FrozenAsync() => _paused.Task.IsCompleted && _wake is { } wake ? wake.Task : Task.CompletedTask;

    public static CrashSwitch AfterStep(string step) => step == "Deploy:midway"
        ? new CrashSwitch((r, a) => a is null && r.State == ReleaseState.Deploy && r.Outputs.Machines.Count(m => m.After is not null) == 2)
        : new CrashSwitch((r, a) => a is not null && a.FromState == step && a.Action != "step-started");

    public void Install(IServiceCollection services)
    {
        // The host registers its stores as factories over one database object; wrap what those factories give.
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

        public async Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken)
        {
            crash.Dead();
            var freezesHere = crash._wake is not null && !crash._paused.Task.IsCompleted && crash.ShouldCrash(release, audit);
            if (freezesHere)
                crash._paused.TrySetResult();
            else if (crash._wake is null && crash.ShouldCrash(release, audit))
                crash.Kill();
            crash.Dead();
            await crash.FrozenAsync();
            try
            {
                await real.SaveAsync(release, audit, leaseOwner, cancellationToken);
            }
            finally
            {
                if (freezesHere)
                    crash._frozenWriteDone.TrySetResult();
            }
        }

        public Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken)
        {
            crash.Dead();
            return real.RequestCancelAsync(requested, cancellationToken);
        }

        public Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken)
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

    private bool ShouldCrash(Release release, AuditEvent? audit) => crashWhen(release, audit);

    private sealed class Leases(CrashSwitch crash, IReleaseLeases real) : IReleaseLeases
    {
        public Task<bool> TryClaimAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult(false) : real.TryClaimAsync(releaseId, owner, ttl, cancellationToken);

        public async Task<bool> RenewAsync(long releaseId, string owner, TimeSpan ttl, CancellationToken cancellationToken)
        {
            await crash.FrozenAsync();
            // The worst case on waking: the stale write goes out before a renewal can notice the lease is gone.
            if (crash._wake is not null && crash._paused.Task.IsCompleted)
                await crash._frozenWriteDone.Task;
            return !crash.Crashed && await real.RenewAsync(releaseId, owner, ttl, cancellationToken);
        }

        // A dead process gives nothing back: its lease runs out by itself.
        public Task ReleaseAsync(long releaseId, string owner, CancellationToken cancellationToken) =>
            crash.Crashed ? Task.CompletedTask : real.ReleaseAsync(releaseId, owner, cancellationToken);

        public Task<IReadOnlyList<long>> UnclaimedAsync(CancellationToken cancellationToken) =>
            crash.Crashed ? Task.FromResult<IReadOnlyList<long>>([]) : real.UnclaimedAsync(cancellationToken);
    }
}
