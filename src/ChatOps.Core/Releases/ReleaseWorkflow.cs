using ChatOps.Core.Steps;
using Stateless;
using Stateless.Graph;

namespace ChatOps.Core.Releases;

/// <summary>
/// The release and rollback state machines, configured from the <see cref="Runbook"/> rows. They decide; they do
/// no I/O. The state lives in the <see cref="Release"/> record, so a workflow is rebuilt from the stored record
/// whenever needed. Not thread-safe: the runner serializes work per release.
/// </summary>
public sealed class ReleaseWorkflow
{
    private enum Trigger
    {
        Begin,
        Succeeded,
        Failed,
        Approve,
        Reject,
        Expire,
        NothingToApprove,
        PlanChanged,
        Cancel,
        Interrupt,
        Resume,
    }

    private readonly Release _release;
    private readonly StateMachine<ReleaseState, Trigger> _machine;

    public ReleaseWorkflow(Release release)
    {
        _release = release;
        _machine = new StateMachine<ReleaseState, Trigger>(() => release.State, s => release.State = s);
        Configure(release.Kind);
    }

    public ReleaseState State => _release.State;

    public bool CanBegin => _machine.CanFire(Trigger.Begin);
    public bool CanCompleteStep => _machine.CanFire(Trigger.Succeeded);
    public bool CanApprove => _machine.CanFire(Trigger.Approve);
    public bool CanCancel => _machine.CanFire(Trigger.Cancel);
    public bool CanResume => _machine.CanFire(Trigger.Resume);
    public bool CanInterrupt => _machine.CanFire(Trigger.Interrupt);
    public bool CanSkipApproval => _machine.CanFire(Trigger.NothingToApprove);

    public void Begin() => _machine.Fire(Trigger.Begin);

    public void StepSucceeded() => _machine.Fire(Trigger.Succeeded);

    public void StepFailed(string error)
    {
        var step = _release.State;
        _machine.Fire(Trigger.Failed);
        _release.StoppedAt = step;
        _release.Error = error;
    }

    public void Approve() => _machine.Fire(Trigger.Approve);

    public void Reject() => _machine.Fire(Trigger.Reject);

    public void Expire() => _machine.Fire(Trigger.Expire);

    public void SkipApproval() => _machine.Fire(Trigger.NothingToApprove);

    /// <summary>The approved plan no longer matches what would run: the approval is void, ask again.</summary>
    public void PlanChanged() => _machine.Fire(Trigger.PlanChanged);

    public void Cancel() => _machine.Fire(Trigger.Cancel);

    /// <summary>A step whose outside effect is unknown (a crash mid-migration): stop and ask a human.</summary>
    public void Interrupt(string reason)
    {
        var step = _release.State;
        _machine.Fire(Trigger.Interrupt);
        _release.StoppedAt = step;
        _release.Error = reason;
    }

    /// <summary>Goes on where it stopped: the step it stopped at runs again from the start.</summary>
    public void Resume()
    {
        var step = _release.StoppedAt;
        _machine.Fire(Trigger.Resume);
        _release.Error = null;
        if (step is not null)
            _release.Step(step.Value.ToString()).Status = StepStatus.Pending;
    }

    /// <summary>
    /// A step of the current state starts (again). Its first start is kept across attempts: a retried backup looks for
    /// what the first attempt made since then.
    /// </summary>
    public static void StartStep(StepRecord record, DateTimeOffset now)
    {
        record.Status = StepStatus.Running;
        record.StartedAt ??= now;
        record.FinishedAt = null;
        record.ProgressAt = null;
        record.Attempts++;
    }

    /// <summary>A part of the rollback's step starts (again); each attempt is timed on its own.</summary>
    public static void StartPart(StepRecord part, DateTimeOffset now)
    {
        part.Status = StepStatus.Running;
        part.StartedAt = now;
        part.FinishedAt = null;
        part.Attempts++;
    }

    /// <summary>A part of the rollback's step ended, done or failed, with what it said.</summary>
    public static void EndPart(StepRecord part, bool done, string detail, DateTimeOffset now)
    {
        part.Detail = detail;
        part.Status = done ? StepStatus.Done : StepStatus.Failed;
        part.FinishedAt = now;
    }

    /// <summary>A step ended; what it reported is applied by <see cref="Apply"/>.</summary>
    public static void EndStep(StepRecord record, DateTimeOffset now) => record.FinishedAt = now;

    /// <summary>A step stopped at a safe point because a stop to roll back was asked for meanwhile.</summary>
    public void StopInStep(StepRecord record, StepOutcome outcome)
    {
        record.Status = StepStatus.Failed;
        record.Detail = outcome.Detail;
        _release.StopRequest = outcome.Stop;
    }

    /// <summary>The approval gate is decided (approved, rejected or expired); the caller fires the trigger that decision means.</summary>
    public StepRecord CloseGate(StepStatus status, string detail, DateTimeOffset now)
    {
        var gate = _release.Step(Runbook.ApprovalStep);
        gate.FinishedAt = now;
        gate.Status = status;
        gate.Detail = detail;
        return gate;
    }

    /// <summary>A step a crash cut off that a human must look at: the release stops in NeedsAttention.</summary>
    public void CutOff(StepRecord record)
    {
        record.Status = StepStatus.Failed;
        record.Detail = "cut off by a restart";
        Interrupt($"the bot stopped while {record.Name} was running; it may or may not have finished.");
    }

    /// <summary>The paperwork of a released release, redone: its record and the release's paperwork error follow the outcome.</summary>
    public bool ApplyPaperwork(StepRecord record, StepOutcome outcome)
    {
        var done = outcome.Result is StepResult.Succeeded or StepResult.Skipped;
        record.Detail = outcome.Detail;
        record.Status = done ? StepStatus.Done : StepStatus.Failed;
        _release.Outputs.PaperworkError = done ? null : outcome.Detail;
        return done;
    }

    /// <summary>
    /// Records what the step of the current state reported, on its record and on the release, and fires the
    /// trigger that outcome means. Returns what the runner must do beyond saving.
    /// </summary>
    public AfterStep Apply(StepRecord record, StepOutcome outcome)
    {
        record.Detail = outcome.Detail;
        if (outcome.OutcomeUnknown)
        {
            record.Status = StepStatus.Failed;
            Interrupt(outcome.Detail);
            return AfterStep.Save;
        }
        switch (outcome.Result)
        {
            case StepResult.Succeeded or StepResult.Skipped:
                record.Status = outcome.Result == StepResult.Succeeded ? StepStatus.Done : StepStatus.Skipped;
                StepSucceeded();
                break;
            case StepResult.AwaitApproval:
                record.Status = StepStatus.Waiting;
                return AfterStep.OpenGate;
            case StepResult.Watching:
                record.Status = StepStatus.Waiting;
                return AfterStep.Save;
            case StepResult.NothingToApprove:
                record.Status = StepStatus.Skipped;
                var guarded = _release.Step(NextRow(record.Name).Name);
                guarded.Status = StepStatus.Skipped;
                guarded.Detail = "nothing pending";
                SkipApproval();
                break;
            case StepResult.PlanChanged:
                record.Status = StepStatus.Pending;
                _release.Step(PreviousGate(record.Name).Name).Status = StepStatus.Pending;
                _release.Outputs.ApprovedBy = null;
                PlanChanged();
                return AfterStep.SayPlanChanged;
            case StepResult.Failed when Runbook.StepOf(_release) is { Paperwork: true }:
                record.Status = StepStatus.Failed;
                _release.Outputs.PaperworkError = outcome.Detail;
                StepSucceeded();
                break;
            default:
                record.Status = StepStatus.Failed;
                StepFailed(outcome.Detail);
                break;
        }
        return Runbook.IsFinished(_release.State) ? AfterStep.Finish : AfterStep.Save;
    }

    public static string ToMermaid(ReleaseKind kind)
    {
        var sample = new Release { Kind = kind, State = Runbook.Start };
        return MermaidGraph.Format(new ReleaseWorkflow(sample)._machine.GetInfo());
    }

    private RunbookStep NextRow(string name) =>
        Runbook.RowsOf(_release).Where(r => r.Kind != StepKind.Part).SkipWhile(r => r.Name != name).Skip(1).First();

    private RunbookStep PreviousGate(string name) =>
        Runbook.RowsOf(_release).TakeWhile(r => r.Name != name).Last(r => r.Kind == StepKind.Gate);

    /// <summary>
    /// One pass over the rows: success moves to the next row that applies (a row only for a database restore is
    /// passed over by a rollback without one), a gate is approved, rejected or expires, and the row after a gate
    /// can send the release back to it when the plan changed.
    /// </summary>
    private void Configure(ReleaseKind kind)
    {
        var (done, failed) = kind == ReleaseKind.Release
            ? (ReleaseState.Released, ReleaseState.Failed)
            : (ReleaseState.RolledBack, ReleaseState.RollbackFailed);
        var rows = Runbook.For(kind).Where(r => r.Kind != StepKind.Part).ToList();

        var start = _machine.Configure(Runbook.Start).Permit(Trigger.Cancel, ReleaseState.Cancelled).Permit(Trigger.Failed, failed);
        PermitNext(start, Trigger.Begin, rows, 0, done);

        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var config = _machine.Configure(row.State)
                .Permit(Trigger.Failed, failed)
                .Permit(Trigger.Interrupt, ReleaseState.NeedsAttention);
            if (row.Cancellable)
                config.Permit(Trigger.Cancel, ReleaseState.Cancelled);
            if (row.Kind == StepKind.Gate)
            {
                PermitNext(config, Trigger.Approve, rows, i + 1, done);
                config.Permit(Trigger.Reject, ReleaseState.Cancelled).Permit(Trigger.Expire, ReleaseState.Cancelled);
                // The row a gate guards is skipped when there is nothing to approve; the schema is still verified after it.
                if (kind == ReleaseKind.Release)
                    config.Permit(Trigger.NothingToApprove, i + 2 < rows.Count ? rows[i + 2].State : done);
                continue;
            }
            PermitNext(config, Trigger.Succeeded, rows, i + 1, done);
            // Only a release binds its approval to a plan (a rollback's approval is for the restore it names).
            if (kind == ReleaseKind.Release && i > 0 && rows[i - 1].Kind == StepKind.Gate)
                config.Permit(Trigger.PlanChanged, rows[i - 1].State);
        }

        _machine.Configure(ReleaseState.NeedsAttention)
            .PermitDynamic(Trigger.Resume, () => _release.StoppedAt ?? Runbook.Start)
            .Permit(Trigger.Cancel, ReleaseState.Cancelled);
    }

    /// <summary>Moves to the row at <paramref name="index"/>, or past it when that row only applies with a database restore.</summary>
    private void PermitNext(StateMachine<ReleaseState, Trigger>.StateConfiguration config, Trigger trigger, List<RunbookStep> rows, int index, ReleaseState done)
    {
        if (index >= rows.Count)
        {
            config.Permit(trigger, done);
            return;
        }
        var next = rows[index];
        if (!next.OnlyWithDatabase)
        {
            config.Permit(trigger, next.State);
            return;
        }
        var without = index + 1 < rows.Count ? rows[index + 1].State : done;
        config.PermitIf(trigger, next.State, () => _release.WithDatabase, "with database restore")
            .PermitIf(trigger, without, () => !_release.WithDatabase, "images only");
    }
}

/// <summary>What the runner does after a step's outcome was applied, besides saving.</summary>
public enum AfterStep
{
    Save,
    OpenGate,
    SayPlanChanged,
    Finish,
}
