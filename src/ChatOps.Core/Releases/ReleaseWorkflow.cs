using Stateless;
using Stateless.Graph;

namespace ChatOps.Core.Releases;

/// <summary>
/// The release and rollback state machines. They decide; they do no I/O. The state lives in the
/// <see cref="Release"/> record, so a workflow is rebuilt from the stored record whenever needed.
/// Not thread-safe: the runner serializes work per release.
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

    private static readonly ReleaseState[] ReleaseChain =
    [
        ReleaseState.Preflight, ReleaseState.Tag, ReleaseState.Backup, ReleaseState.AwaitApproval, ReleaseState.Migrate,
        ReleaseState.VerifySchema, ReleaseState.Deploy, ReleaseState.Verify, ReleaseState.Smoke, ReleaseState.Observe,
        ReleaseState.Document, ReleaseState.Released,
    ];

    private static readonly ReleaseState[] Cancellable =
    [
        ReleaseState.Requested, ReleaseState.Preflight, ReleaseState.Tag, ReleaseState.Backup, ReleaseState.AwaitApproval,
        ReleaseState.NeedsAttention,
    ];

    private readonly Release _release;
    private readonly StateMachine<ReleaseState, Trigger> _machine;

    public ReleaseWorkflow(Release release)
    {
        _release = release;
        _machine = new StateMachine<ReleaseState, Trigger>(() => release.State, s => release.State = s);
        if (release.Kind == ReleaseKind.Release)
            ConfigureRelease();
        else
            ConfigureRollback();
        _machine.Configure(ReleaseState.NeedsAttention)
            .PermitDynamic(Trigger.Resume, () => _release.StoppedAt ?? ReleaseState.Requested)
            .Permit(Trigger.Cancel, ReleaseState.Cancelled);
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

    public void Resume()
    {
        _machine.Fire(Trigger.Resume);
        _release.Error = null;
    }

    public static string ToMermaid(ReleaseKind kind)
    {
        var sample = new Release { Kind = kind, State = ReleaseState.Requested };
        return MermaidGraph.Format(new ReleaseWorkflow(sample)._machine.GetInfo());
    }

    private void ConfigureRelease()
    {
        _machine.Configure(ReleaseState.Requested).Permit(Trigger.Begin, ReleaseState.Preflight);
        for (var i = 0; i < ReleaseChain.Length - 1; i++)
        {
            var state = ReleaseChain[i];
            var config = _machine.Configure(state);
            if (state == ReleaseState.AwaitApproval)
            {
                config.Permit(Trigger.Approve, ReleaseState.Migrate)
                    .Permit(Trigger.NothingToApprove, ReleaseState.VerifySchema)
                    .Permit(Trigger.Reject, ReleaseState.Cancelled)
                    .Permit(Trigger.Expire, ReleaseState.Cancelled);
                continue;
            }
            config.Permit(Trigger.Succeeded, ReleaseChain[i + 1])
                .Permit(Trigger.Failed, ReleaseState.Failed)
                .Permit(Trigger.Interrupt, ReleaseState.NeedsAttention);
        }
        _machine.Configure(ReleaseState.Migrate).Permit(Trigger.PlanChanged, ReleaseState.AwaitApproval);
        foreach (var state in Cancellable.Where(s => s != ReleaseState.NeedsAttention))
            _machine.Configure(state).Permit(Trigger.Cancel, ReleaseState.Cancelled);
        _machine.Configure(ReleaseState.Requested).Permit(Trigger.Failed, ReleaseState.Failed);
    }

    private void ConfigureRollback()
    {
        _machine.Configure(ReleaseState.Requested)
            .PermitIf(Trigger.Begin, ReleaseState.AwaitApproval, () => _release.WithDatabase, "with database restore")
            .PermitIf(Trigger.Begin, ReleaseState.RollingBack, () => !_release.WithDatabase, "images only")
            .Permit(Trigger.Cancel, ReleaseState.Cancelled)
            .Permit(Trigger.Failed, ReleaseState.RollbackFailed);
        _machine.Configure(ReleaseState.AwaitApproval)
            .Permit(Trigger.Approve, ReleaseState.RollingBack)
            .Permit(Trigger.Reject, ReleaseState.Cancelled)
            .Permit(Trigger.Expire, ReleaseState.Cancelled)
            .Permit(Trigger.Cancel, ReleaseState.Cancelled);
        _machine.Configure(ReleaseState.RollingBack)
            .Permit(Trigger.Succeeded, ReleaseState.RolledBack)
            .Permit(Trigger.Failed, ReleaseState.RollbackFailed)
            .Permit(Trigger.Interrupt, ReleaseState.NeedsAttention);
    }
}
