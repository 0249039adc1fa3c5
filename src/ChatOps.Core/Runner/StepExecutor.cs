using ChatOps.Core.Cards;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>Runs one runbook step against the outside systems and turns whatever happens into its outcome.</summary>
public sealed class StepExecutor(
    ReleasePorts ports,
    ChatOpsSettings settings,
    RunnerSettings runnerSettings,
    IEnvironmentStore environments,
    IReleaseStore releases,
    ReleaseRecorder recorder,
    TimeProvider clock,
    ILogger<StepExecutor> log)
{
    /// <summary>Marks the step started and saves that, runs it, and marks it ended; the caller applies the outcome.</summary>
    public async Task<StepOutcome> RunAsync(IReleaseStep step, Release release, StepRecord record, CancellationToken cancellationToken)
    {
        ReleaseWorkflow.StartStep(record, clock.GetUtcNow());
        await recorder.SaveAsync(release, ReleaseRecorder.System, "step-started", null, release.State.ToString(), cancellationToken);
        var outcome = await RunAsync(step, release, cancellationToken);
        ReleaseWorkflow.EndStep(record, clock.GetUtcNow());
        return outcome;
    }

    /// <summary>A live lock holds back a step that changes production: the refusal to stop the release with, or null.</summary>
    public async Task<string?> FrozenAsync(Release release, CancellationToken cancellationToken) =>
        LockRules.IsFrozen(release, await environments.GetAsync(release.Environment, cancellationToken), clock.GetUtcNow());

    public async Task<StepOutcome> RunAsync(IReleaseStep step, Release release, CancellationToken cancellationToken)
    {
        if (!settings.Environments.TryGetValue(release.Environment, out var environment))
            return StepOutcome.Fail($"Environment {release.Environment} is no longer configured.");
        var stopsBetweenMachines = release.Kind == ReleaseKind.Release && Runbook.StepOf(release) is { StopsBetweenMachines: true };
        // The runner marked the step's record running; a rollback's rows are named apart from their states.
        var record = release.Steps.LastOrDefault(s => s.Status == StepStatus.Running) ?? new StepRecord { Name = step.State.ToString() };
        await using var progress = new ProgressCard(release, record, recorder, runnerSettings.ProgressInterval, clock, log, cancellationToken);
        var label = Runbook.Label(record.Name);
        var context = new StepContext(release, environment, ports, runnerSettings, environments, clock, new StepReports(async ct =>
        {
            await recorder.CheckpointAsync(release, ct);
            // Between two machines is a safe point: a /rollback asked for meanwhile, here or on another instance, stops the step here.
            if (stopsBetweenMachines && (await releases.GetAsync(release.Id, ct))?.StopRequest is { RollsBack: true } stop)
                throw new StopRequestedException(stop);
        }, progress.ReportAsync, (text, output, ct) => recorder.ShowDetailAsync(release, new StepDetail(release.Id, label, text) { Output = output }, ct)));
        // A rollout's safe points are between machines, and a machine that will not turn healthy is one too: it has been
        // replaced already, so waiting out its health timeout proves nothing more. A watch ends the wait when a stop comes.
        await using var watch = stopsBetweenMachines ? new StopWatch(releases, release.Id, runnerSettings.StopPollInterval, clock, cancellationToken) : null;
        var outcome = await RunAsync(step, context, release, watch?.Token ?? cancellationToken, watch);
        // The card's summary says the error in one line; beside the card it is said whole, on every attempt.
        if (outcome.Result == StepResult.Failed)
            await recorder.ShowDetailAsync(release, new StepDetail(release.Id, label, Failure(outcome, record)) { IsError = true }, cancellationToken);
        return outcome;
    }

    private static string Failure(StepOutcome outcome, StepRecord record) =>
        (record.Attempts > 1 ? $"attempt {record.Attempts} failed" : "failed")
        + (outcome.OutcomeUnknown ? " (its outcome is unknown: someone must look)" : "") + $": {outcome.Detail}";

    private async Task<StepOutcome> RunAsync(IReleaseStep step, StepContext context, Release release, CancellationToken cancellationToken, StopWatch? watch)
    {
        try
        {
            return await step.RunAsync(context, cancellationToken);
        }
        catch (StopRequestedException stopped)
        {
            return StepOutcome.Fail($"stopped between two machines by {stopped.Request.By} to roll back") with { Stop = stopped.Request };
        }
        catch (OperationCanceledException) when (watch?.Seen is { } stop)
        {
            return StepOutcome.Fail($"stopped by {stop.By} to roll back while a machine was still turning healthy") with { Stop = stop };
        }
        catch (OutcomeUnknownException unknown)
        {
            return new StepOutcome(StepResult.Failed, unknown.Message) { OutcomeUnknown = true };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "Step {Step} of release {ReleaseId} failed", step.State, release.Id);
            return StepOutcome.Fail(e is TaskCanceledException or TimeoutException ? $"timed out: {e.Message}" : e.Message);
        }
    }
}

/// <summary>
/// Reads the release now and then while a rollout runs: a stop to roll back asked for meanwhile, here or on another
/// instance, cancels <see cref="Token"/>, so a machine's health wait ends at once instead of at its timeout.
/// </summary>
internal sealed class StopWatch : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly CancellationTokenSource _done = new();
    private readonly Task _watching;

    public StopWatch(IReleaseStore releases, long releaseId, TimeSpan interval, TimeProvider clock, CancellationToken cancellationToken)
    {
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _watching = WatchAsync(releases, releaseId, interval, clock);
    }

    public CancellationToken Token => _stop.Token;

    /// <summary>The stop that ended the step, once one was seen.</summary>
    public StopRequest? Seen { get; private set; }

    private async Task WatchAsync(IReleaseStore releases, long releaseId, TimeSpan interval, TimeProvider clock)
    {
        try
        {
            while (!_done.IsCancellationRequested && !_stop.IsCancellationRequested)
            {
                await Task.Delay(interval, clock, _done.Token);
                if ((await releases.GetAsync(releaseId, _done.Token))?.StopRequest is { RollsBack: true } stop)
                {
                    Seen = stop;
                    await _stop.CancelAsync();
                }
            }
        }
        catch (OperationCanceledException) when (_done.IsCancellationRequested)
        {
            // The step ended first.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A store that cannot be read leaves the step to its own safe points between machines.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _done.CancelAsync();
        await _watching;
        _stop.Dispose();
        _done.Dispose();
    }
}

/// <summary>A stop to roll back was asked for while the step ran, and the step reached a safe point.</summary>
public sealed class StopRequestedException(StopRequest request) : Exception($"stopped by {request.By} to roll back")
{
    public StopRequest Request { get; } = request;
}
