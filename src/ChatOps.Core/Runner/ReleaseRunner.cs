using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Moves releases forward: load the record, run the step of its state, record the outcome, fire the
/// trigger, save — in that order, one release at a time, so a crashed bot picks up where it stopped.
/// </summary>
public sealed partial class ReleaseRunner(
    IReleaseStore releases,
    IApprovalStore approvals,
    IEnvironmentStore environments,
    IReleaseLeases leases,
    ReleasePorts ports,
    ChatOpsSettings settings,
    RunnerSettings runnerSettings,
    CardPublisher cards,
    TimeProvider clock,
    ILogger<ReleaseRunner> log) : IAsyncDisposable
{
    public const string System = "chatops:runner";

    private static readonly IReadOnlyDictionary<ReleaseState, IReleaseStep> Steps = new IReleaseStep[]
    {
        new PreflightStep(), new TagStep(), new BackupStep(), new ApprovalGateStep(), new MigrateStep(), new VerifySchemaStep(),
        new DeployStep(), new VerifyStep(), new SmokeStep(), new ObserveStep(), new DocumentStep(), new RollbackSteps(),
    }.ToDictionary(s => s.State);

    private readonly ConcurrentDictionary<long, SemaphoreSlim> _locks = new();
    private readonly ConcurrentDictionary<Task, byte> _inFlight = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;

    /// <summary>Advances the release in the background.</summary>
    public void Enqueue(long releaseId) => RunInBackground(() => AdvanceAsync(releaseId, _stopping.Token));

    /// <summary>Work a command starts but does not wait for; it is not part of that command's chat update.</summary>
    private void RunInBackground(Func<Task> work)
    {
        var task = Task.Run(() =>
        {
            UpdateReceipt.Detach();
            return work();
        });
        _inFlight.TryAdd(task, 0);
        task.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when no release is being advanced (all are waiting, stopped or finished).</summary>
    public async Task WhenIdleAsync(CancellationToken cancellationToken)
    {
        while (!_inFlight.IsEmpty)
            await Task.WhenAll(_inFlight.Keys).WaitAsync(cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public async Task AdvanceAsync(long releaseId, CancellationToken cancellationToken)
    {
        try
        {
            // The lock is taken per step, so a decision (cancel, approve) can get in between two steps.
            var more = true;
            var first = true;
            while (more)
            {
                more = await WithReleaseAsync(releaseId, async (release, leased) =>
                {
                    if (release is null)
                        return false;
                    if (first && await RepairInterruptedAsync(release, leased))
                        return false;
                    first = false;
                    return await StepOnceAsync(release, leased);
                }, cancellationToken);
            }
        }
        catch (LeaseHeldException)
        {
            log.LogDebug("Release {ReleaseId} is being advanced by another instance", releaseId);
        }
        catch (LeaseLostException)
        {
            log.LogWarning("Stopped advancing release {ReleaseId}: its lease ran out and another instance took it over", releaseId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            log.LogInformation("Stopped advancing release {ReleaseId}; it resumes at the next start", releaseId);
        }
        catch (Exception e)
        {
            log.LogError(e, "Release {ReleaseId} could not be advanced", releaseId);
        }
    }

    /// <summary>Runs the step that belongs to the release's state; false when there is nothing more to do now.</summary>
    private async Task<bool> StepOnceAsync(Release release, CancellationToken cancellationToken)
    {
        var workflow = new ReleaseWorkflow(release);
        // Set by /cancel while the previous step ran, on this instance or another (the store keeps the request).
        if (release.CancelRequestedBy is { } canceller)
        {
            if (workflow.CanCancel && release.State != ReleaseState.NeedsAttention)
            {
                var from = release.State;
                workflow.Cancel();
                await FinishAsync(release, canceller, "cancel", from, $"cancelled by {canceller}", cancellationToken);
                await releases.ClearCancelRequestAsync(release.Id, cancellationToken);
                return false;
            }
            release.CancelRequestedBy = null;
            await releases.ClearCancelRequestAsync(release.Id, cancellationToken);
            await cards.SayAsync(release, $"The cancel of release #{release.Id} by {canceller} came too late: it is at {release.State}, past the point of no return. "
                + $"/rollback {release.Environment} if it goes wrong.", cancellationToken);
        }

        if (release.State == ReleaseState.Requested)
        {
            workflow.Begin();
            await approvals.IssueAsync(NewToken(release.Id, CardAction.Cancel, "cancel", null, TimeSpan.FromDays(1)), cancellationToken);
            await SaveAsync(release, System, "begin", ReleaseState.Requested, "started", cancellationToken);
            return true;
        }

        if (!Steps.TryGetValue(release.State, out var step) || !ShouldRun(release))
            return false;

        var state = release.State;
        var record = release.Step(state.ToString());
        if (ReleaseStates.IsPastPointOfNoReturn(state))
            await approvals.VoidAsync(release.Id, "cancel", clock.GetUtcNow(), cancellationToken);
        record.Status = StepStatus.Running;
        // The first start is kept across attempts: a retried backup looks for what the first attempt made since then.
        record.StartedAt ??= clock.GetUtcNow();
        record.FinishedAt = null;
        record.Attempts++;
        await SaveAsync(release, System, "step-started", null, state.ToString(), cancellationToken);

        var outcome = await RunStepAsync(step, release, cancellationToken);
        record.FinishedAt = clock.GetUtcNow();
        record.Detail = outcome.Detail;
        await ApplyAsync(release, workflow, state, record, outcome, cancellationToken);
        return ShouldRun(release);
    }

    private static bool ShouldRun(Release release) =>
        ReleaseStates.Working.Contains(release.State)
        || (release.State == ReleaseState.AwaitApproval
            && release.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.AwaitApproval))?.Status is null or StepStatus.Pending or StepStatus.Running);

    private async Task<StepOutcome> RunStepAsync(IReleaseStep step, Release release, CancellationToken cancellationToken)
    {
        if (!settings.Environments.TryGetValue(release.Environment, out var environment))
            return StepOutcome.Fail($"Environment {release.Environment} is no longer configured.");
        var context = new StepContext(release, environment, ports, runnerSettings, environments, clock,
            ct => releases.SaveAsync(release, null, runnerSettings.Owner, ct));
        try
        {
            return await step.RunAsync(context, cancellationToken);
        }
        catch (OutcomeUnknownException unknown)
        {
            return new StepOutcome(StepResult.Failed, unknown.Message) { OutcomeUnknown = true };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "Step {Step} of release {ReleaseId} failed", step.State, release.Id);
            return StepOutcome.Fail(Readable(e));
        }
    }

    private static string Readable(Exception e) => e switch
    {
        TaskCanceledException or TimeoutException => $"timed out: {e.Message}",
        _ => e.Message,
    };

    private ActionToken NewToken(long releaseId, CardAction action, string gate, string? planHash, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        return new ActionToken(Tokens.New(), releaseId, action, gate, planHash, now, now + lifetime);
    }

    private async Task SaveAsync(Release release, string actor, string action, ReleaseState? from, string detail, CancellationToken cancellationToken)
    {
        await RecordAsync(release, actor, action, from, detail, cancellationToken);
        await PublishCardAsync(release, cancellationToken);
    }

    /// <summary>Saves the record with its audit event, fenced by this instance's lease.</summary>
    private Task RecordAsync(Release release, string actor, string action, ReleaseState? from, string detail, CancellationToken cancellationToken)
    {
        release.UpdatedAt = clock.GetUtcNow();
        var audit = new AuditEvent(release.Id, release.Environment, actor, action, from?.ToString(), release.State.ToString(), detail, release.UpdatedAt);
        return releases.SaveAsync(release, audit, runnerSettings.Owner, cancellationToken);
    }

    private async Task PublishCardAsync(Release release, CancellationToken cancellationToken)
    {
        if (await cards.PublishAsync(release, cancellationToken))
            await releases.SaveAsync(release, null, runnerSettings.Owner, cancellationToken);
    }

    /// <summary>
    /// Runs <paramref name="work"/> holding both this process's lock on the release and the shared lease in the
    /// store, renewed while the work runs, so two bot instances never advance one release at the same time.
    /// The work's token is cancelled if the lease is lost (another instance took over), and every save is fenced
    /// by the lease, so a stalled instance cannot overwrite what the new owner wrote.
    /// </summary>
    /// <param name="busyAfter">How long to wait for this process's lock before treating the release as busy
    /// (<see cref="LeaseHeldException"/>); null waits as long as it takes.</param>
    private async Task<T> WithReleaseAsync<T>(
        long releaseId, Func<Release?, CancellationToken, Task<T>> work, CancellationToken cancellationToken, TimeSpan? busyAfter = null)
    {
        var gate = _locks.GetOrAdd(releaseId, _ => new SemaphoreSlim(1, 1));
        if (busyAfter is { } wait)
        {
            if (!await gate.WaitAsync(wait, cancellationToken))
                throw new LeaseHeldException(releaseId);
        }
        else
        {
            await gate.WaitAsync(cancellationToken);
        }
        try
        {
            if (!await ClaimAsync(releaseId, cancellationToken))
                throw new LeaseHeldException(releaseId);
            using var leased = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var renewal = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var renewing = KeepLeaseAsync(releaseId, leased, renewal.Token);
            try
            {
                return await work(await releases.GetAsync(releaseId, cancellationToken), leased.Token);
            }
            catch (OperationCanceledException) when (leased.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new LeaseLostException(releaseId, runnerSettings.Owner);
            }
            finally
            {
                await renewal.CancelAsync();
                await renewing;
                await leases.ReleaseAsync(releaseId, runnerSettings.Owner, CancellationToken.None);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    private Task<bool> ClaimAsync(long releaseId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return leases.TryClaimAsync(releaseId, runnerSettings.Owner, now, now + runnerSettings.LeaseTtl, cancellationToken);
    }

    /// <summary>Renews the lease every third of its lifetime; when another owner has it, cancels the work.</summary>
    private async Task KeepLeaseAsync(long releaseId, CancellationTokenSource work, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(runnerSettings.LeaseTtl / 3, clock, cancellationToken);
                var until = clock.GetUtcNow() + runnerSettings.LeaseTtl;
                if (!await leases.RenewAsync(releaseId, runnerSettings.Owner, until, cancellationToken))
                {
                    log.LogWarning("Lost the lease on release {ReleaseId} to another instance; stopping work on it here", releaseId);
                    await work.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The work ended.
        }
        catch (Exception e)
        {
            log.LogWarning(e, "Renewing the lease on release {ReleaseId} failed", releaseId);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
            return;
        await _stopping.CancelAsync();
        try
        {
            await WhenIdleAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            log.LogWarning("Releases were still running at shutdown; they resume at the next start");
        }
        _stopping.Dispose();
    }
}
