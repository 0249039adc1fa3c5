using ChatOps.Core.Decisions;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Moves releases forward: claim, load, run the step of its state, apply the outcome, save, publish — in that
/// order, one step at a time, so a crashed bot picks up where it stopped and a decision can get in between two steps.
/// </summary>
public sealed class ReleaseRunner
{
    private readonly LeaseKeeper _leases;
    private readonly IReleaseStore _releases;
    private readonly IEnvironmentStore _environments;
    private readonly StepExecutor _steps;
    private readonly ReleaseRecorder _recorder;
    private readonly ReleaseButtons _buttons;
    private readonly StopDecisions _stops;
    private readonly StartDecisions _starts;
    private readonly ReleaseQueue _queue;
    private readonly DeploymentLog _deployments;
    private readonly ReleaseAnnouncer _announcer;
    private readonly TimeProvider _clock;
    private readonly ILogger<ReleaseRunner> _log;

    public ReleaseRunner(LeaseKeeper leases, IReleaseStore releases, IEnvironmentStore environments, StepExecutor steps, ReleaseRecorder recorder, ReleaseButtons buttons,
        StopDecisions stops, StartDecisions starts, ReleaseQueue queue, DeploymentLog deployments, ReleaseAnnouncer announcer, TimeProvider clock,
        ILogger<ReleaseRunner> log)
    {
        (_leases, _releases, _environments, _steps, _recorder, _buttons, _stops, _starts, _queue, _deployments, _announcer, _clock, _log) =
            (leases, releases, environments, steps, recorder, buttons, stops, starts, queue, deployments, announcer, clock, log);
        queue.Attach(AdvanceAsync);
    }

    /// <summary>At start-up and on every sweep: take over each unfinished release whose lease is free or expired.</summary>
    public async Task RecoverAsync(CancellationToken cancellationToken)
    {
        foreach (var id in await _leases.UnclaimedAsync(cancellationToken))
            _queue.Enqueue(id);
        // A release stopped to roll back whose rollback was never tried: the instance that stopped it died in between.
        // Looked at only once that instance's lease would have run out, so a live one starting it right now is left alone.
        var stale = _clock.GetUtcNow() - _leases.Ttl;
        foreach (var stopped in (await _releases.ListAsync(null, activeOnly: false, limit: 100, cancellationToken))
            .Where(r => r is { IsActive: false, Outputs: { RollbackAsked: not null, RollbackReleaseId: null } } && r.UpdatedAt < stale))
            _queue.Run($"rollback of stopped release {stopped.Id}", stopping => _starts.RollBackStoppedAsync(stopped, stopped.Outputs.RollbackAsked!, stopping));
    }

    public async Task AdvanceAsync(long releaseId, CancellationToken cancellationToken)
    {
        try
        {
            var first = true;
            var more = true;
            while (more)
            {
                more = await _leases.HoldAsync(releaseId, async leased =>
                {
                    if (await _releases.GetAsync(releaseId, leased) is not { } release)
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
            _log.LogDebug("Release {ReleaseId} is being advanced by another instance", releaseId);
        }
        catch (LeaseLostException)
        {
            _log.LogWarning("Stopped advancing release {ReleaseId}: its lease ran out and another instance took it over", releaseId);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _log.LogInformation("Stopped advancing release {ReleaseId}; it resumes at the next start", releaseId);
        }
        catch (Exception e)
        {
            _log.LogError(e, "Release {ReleaseId} could not be advanced", releaseId);
        }
    }

    /// <summary>Runs the step that belongs to the release's state; false when there is nothing more to do now.</summary>
    private async Task<bool> StepOnceAsync(Release release, CancellationToken cancellationToken)
    {
        if (await _stops.CarryOutStopRequestAsync(release, cancellationToken))
            return false;
        var workflow = new ReleaseWorkflow(release);
        if (release.State == Runbook.Start)
        {
            workflow.Begin();
            await _buttons.OfferCancelAsync(release, cancellationToken);
            await _recorder.SaveAsync(release, ReleaseRecorder.System, "begin", Runbook.Start, "started", cancellationToken);
            return true;
        }
        if (!Runbook.HasWorkToDo(release) || Runbook.StepOf(release) is not { Step: { } step } row)
            return false;

        var state = release.State;
        var record = release.Step(row.Name);
        if (row.FrozenByLock && ReleaseRules.IsFrozen(release, await _environments.GetAsync(release.Environment, cancellationToken), _clock.GetUtcNow()) is { } frozen)
        {
            new ReleaseWorkflow(release).Interrupt(frozen);
            await _recorder.SaveAsync(release, ReleaseRecorder.System, "frozen", state, frozen, cancellationToken);
            return false;
        }
        var deployment = Runbook.IsPastPointOfNoReturn(release) ? await PassPointOfNoReturnAsync(release, record, cancellationToken) : null;
        record.Status = StepStatus.Running;
        // The first start is kept across attempts: a retried backup looks for what the first attempt made since then.
        record.StartedAt ??= _clock.GetUtcNow();
        record.FinishedAt = null;
        record.ProgressAt = null;
        record.Attempts++;
        await _recorder.SaveAsync(release, ReleaseRecorder.System, "step-started", null, state.ToString(), cancellationToken);

        var outcome = await _steps.RunAsync(step, release, cancellationToken);
        if (deployment is not null)
            (await deployment).ApplyTo(release);
        record.FinishedAt = _clock.GetUtcNow();
        if (outcome.Stop is { } stop)
        {
            record.Status = StepStatus.Failed;
            record.Detail = outcome.Detail;
            release.StopRequest = stop;
            return !await _stops.CarryOutStopRequestAsync(release, cancellationToken);
        }
        var action = outcome.Result.ToString().ToLowerInvariant();
        var gateOpened = false;
        switch (workflow.Apply(record, outcome))
        {
            case AfterStep.OpenGate:
                await _buttons.OpenGateAsync(release, record.Attempts, cancellationToken);
                gateOpened = true;
                break;
            case AfterStep.SayPlanChanged:
                await _recorder.SayAsync(release, $"Release #{release.Id}: {outcome.Detail}", cancellationToken);
                break;
            case AfterStep.Finish:
                // A /rollback asked for while this last step ran still stands: the release ended, and what it moved goes back.
                var pending = (await _releases.GetAsync(release.Id, cancellationToken))?.StopRequest;
                if (pending is { RollsBack: true } && release.ChangedProduction)
                    release.Outputs.RollbackAsked = pending;
                await _recorder.FinishAsync(release, ReleaseRecorder.System, action, state, outcome.Detail, cancellationToken);
                if (pending is not null)
                    await _releases.ClearCancelRequestAsync(release.Id, cancellationToken);
                // A /rollback that came while the end was being written: looked for once the end is written, as the
                // command looks for the end once its request is written; whichever takes the request starts the rollback.
                else if ((await _releases.GetAsync(release.Id, cancellationToken))?.StopRequest is { RollsBack: true } late
                    && release.ChangedProduction && await _releases.ClearCancelRequestAsync(release.Id, cancellationToken))
                {
                    pending = late;
                    release.Outputs.RollbackAsked = late;
                    await _recorder.CheckpointAsync(release, cancellationToken);
                }
                // In the background: this release is held here, and starting a rollback holds it too.
                if (pending is { RollsBack: true } && release.ChangedProduction)
                    _queue.Run($"rollback of release {release.Id}", stopping => _starts.RollBackStoppedAsync(release, pending, stopping));
                else
                    _queue.Run($"auto-rollback of release {release.Id}", stopping => _starts.AutoRollBackIfDueAsync(release, state, stopping));
                return false;
        }
        await _recorder.SaveAsync(release, ReleaseRecorder.System, outcome.OutcomeUnknown ? "needs-attention" : action, state, outcome.Detail, cancellationToken);
        // After the gate is saved, so the call never names a gate that a crash left unwritten.
        if (gateOpened)
            await _announcer.GateOpenedAsync(release, cancellationToken);
        return Runbook.HasWorkToDo(release);
    }

    /// <summary>
    /// From here production changes: the Cancel button goes, and the first time, a Roll back button comes, which
    /// stops the release at its next safe point and rolls back what it moved. The GitHub deployment begins here too,
    /// alongside the step: the caller applies it when the step ends.
    /// </summary>
    private async Task<Task<DeploymentStart>> PassPointOfNoReturnAsync(Release release, StepRecord record, CancellationToken cancellationToken)
    {
        await _buttons.VoidAsync(release.Id, ReleaseButtons.CancelGate, cancellationToken);
        var deployment = _deployments.BeginAsync(release, cancellationToken);
        var first = record.Attempts == 0 && !Runbook.RowsOf(release)
            .Any(r => !r.Cancellable && r.Name != record.Name && release.Steps.Any(s => s.Name == r.Name && s.Attempts > 0));
        if (first && release.Kind == ReleaseKind.Release)
            await _buttons.OfferRollbackAsync(release, cancellationToken);
        return deployment;
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
                _log.LogInformation("Resuming release {ReleaseId} at {Step} after an interruption", release.Id, running.Name);
            return false;
        }
        var from = release.State;
        cutOff.Status = StepStatus.Failed;
        cutOff.Detail = "cut off by a restart";
        workflow.Interrupt($"the bot stopped while {cutOff.Name} was running; it may or may not have finished.");
        await _recorder.SaveAsync(release, ReleaseRecorder.System, "needs-attention", from, release.Error!, cancellationToken);
        return true;
    }
}
