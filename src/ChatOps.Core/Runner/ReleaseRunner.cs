using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Moves releases forward: claim, load, run the step of its state, apply the outcome, save, publish — in that
/// order, one step at a time, so a crashed bot picks up where it stopped and a decision can get in between two steps.
/// </summary>
public sealed class ReleaseRunner(
    LeaseKeeper leases,
    IReleaseStore releases,
    StepExecutor steps,
    ReleaseRecorder recorder,
    ReleaseGates gates,
    ReleaseEndings endings,
    ReleaseQueue queue,
    TimeProvider clock,
    ILogger<ReleaseRunner> log)
{
    /// <summary>Reads the runner's inbox until the bot stops: each release asked for is advanced in the background.</summary>
    public async Task ServeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var releaseId in queue.ReadAllAsync(cancellationToken))
                queue.Run($"advance release {releaseId}", stopping => AdvanceAsync(releaseId, stopping));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping; what is unread resumes at the next start.
        }
    }

    public async Task AdvanceAsync(long releaseId, CancellationToken cancellationToken)
    {
        try
        {
            var first = true;
            var more = true;
            while (more)
            {
                more = await leases.HoldAsync(releaseId, async leased =>
                {
                    if (await releases.GetAsync(releaseId, leased) is not { } release)
                        return false;
                    if (first && await RepairAfterCrashAsync(release, leased))
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
        if (await endings.CarryOutStopRequestAsync(release, cancellationToken))
            return false;
        var workflow = new ReleaseWorkflow(release);
        if (release.State == Runbook.Start)
        {
            workflow.Begin();
            await gates.BeginAsync(release, cancellationToken);
            await recorder.SaveAsync(release, ReleaseRecorder.System, "begin", Runbook.Start, "started", cancellationToken);
            return true;
        }
        if (!Runbook.HasWorkToDo(release) && !Runbook.IsWatchDue(release, clock.GetUtcNow()) || Runbook.StepOf(release) is not { Step: { } step } row)
            return false;

        var state = release.State;
        var record = release.Step(row.Name);
        if (row.ChangesProduction && await steps.FrozenAsync(release, cancellationToken) is { } frozen)
        {
            new ReleaseWorkflow(release).Interrupt(frozen);
            await recorder.SaveAsync(release, ReleaseRecorder.System, "frozen", state, frozen, cancellationToken);
            return false;
        }
        var deployment = Runbook.IsPastPointOfNoReturn(release) ? await gates.PassPointOfNoReturnAsync(release, record, cancellationToken) : null;
        var firstTurn = row.Kind == StepKind.Watch && record.Status != StepStatus.Waiting;
        var outcome = await steps.RunAsync(step, release, record, cancellationToken);
        if (deployment is not null)
            (await deployment).ApplyTo(release);
        if (outcome.Stop is not null)
        {
            workflow.StopInStep(record, outcome);
            return !await endings.CarryOutStopRequestAsync(release, cancellationToken);
        }
        if (row.Kind == StepKind.Watch)
            await gates.WatchedAsync(release, firstTurn, outcome.OutcomeUnknown, cancellationToken);
        var action = outcome.Result.ToString().ToLowerInvariant();
        var gateOpened = false;
        switch (workflow.Apply(record, outcome))
        {
            case AfterStep.OpenGate:
                await gates.OpenAsync(release, record.Attempts, cancellationToken);
                gateOpened = true;
                break;
            case AfterStep.SayPlanChanged:
                await recorder.SayAsync(release, $"Release #{release.Id}: {outcome.Detail}", cancellationToken);
                break;
            case AfterStep.Finish:
                await endings.FinishAsync(release, state, action, outcome.Detail, cancellationToken);
                return false;
        }
        await recorder.SaveAsync(release, ReleaseRecorder.System, outcome.OutcomeUnknown ? "needs-attention" : action, state, outcome.Detail, cancellationToken);
        // After the gate is saved, so the call never names a gate that a crash left unwritten.
        if (gateOpened)
            await gates.OpenedAsync(release, cancellationToken);
        return Runbook.HasWorkToDo(release);
    }

    /// <summary>
    /// A step still marked running when its release is claimed was cut off by a crash. Most steps are run again; one
    /// whose row asks for a human (migrations, a database restore) stops the release in NeedsAttention instead.
    /// </summary>
    private async Task<bool> RepairAfterCrashAsync(Release release, CancellationToken cancellationToken)
    {
        var workflow = new ReleaseWorkflow(release);
        if (Runbook.CutOffNeedingAHuman(release) is not { } cutOff || !workflow.CanInterrupt)
        {
            if (release.Steps.FirstOrDefault(s => s.Status == StepStatus.Running) is { } running)
                log.LogInformation("Resuming release {ReleaseId} at {Step} after an interruption", release.Id, running.Name);
            return false;
        }
        var from = release.State;
        workflow.CutOff(cutOff);
        await recorder.SaveAsync(release, ReleaseRecorder.System, "needs-attention", from, release.Error!, cancellationToken);
        return true;
    }
}
