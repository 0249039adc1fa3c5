using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

public sealed partial class ReleaseRunner
{
    private async Task ApplyAsync(Release release, ReleaseWorkflow workflow, ReleaseState state, StepRecord record, StepOutcome outcome, CancellationToken cancellationToken)
    {
        if (outcome.OutcomeUnknown)
        {
            record.Status = StepStatus.Failed;
            workflow.Interrupt(outcome.Detail);
            await SaveAsync(release, System, "needs-attention", state, outcome.Detail, cancellationToken);
            return;
        }
        switch (outcome.Result)
        {
            case StepResult.Succeeded or StepResult.Skipped:
                record.Status = outcome.Result == StepResult.Succeeded ? StepStatus.Done : StepStatus.Skipped;
                workflow.StepSucceeded();
                break;
            case StepResult.AwaitApproval:
                record.Status = StepStatus.Waiting;
                await IssueApprovalAsync(release, record.Attempts, cancellationToken);
                break;
            case StepResult.NothingToApprove:
                record.Status = StepStatus.Skipped;
                release.Step(nameof(ReleaseState.Migrate)).Status = StepStatus.Skipped;
                release.Step(nameof(ReleaseState.Migrate)).Detail = "nothing pending";
                workflow.SkipApproval();
                break;
            case StepResult.PlanChanged:
                record.Status = StepStatus.Pending;
                release.Step(nameof(ReleaseState.AwaitApproval)).Status = StepStatus.Pending;
                release.Outputs.ApprovedBy = null;
                workflow.PlanChanged();
                await cards.SayAsync(release, $"Release #{release.Id}: {outcome.Detail}", cancellationToken);
                break;
            default:
                record.Status = StepStatus.Failed;
                workflow.StepFailed(outcome.Detail);
                break;
        }

        if (ReleaseStates.Finished.Contains(release.State))
            await FinishAsync(release, System, outcome.Result.ToString().ToLowerInvariant(), state, outcome.Detail, cancellationToken);
        else
            await SaveAsync(release, System, outcome.Result.ToString().ToLowerInvariant(), state, outcome.Detail, cancellationToken);
    }

    private async Task IssueApprovalAsync(Release release, int round, CancellationToken cancellationToken)
    {
        var gate = $"approval-{round}";
        var timeout = settings.Access.ApprovalTimeout;
        await approvals.VoidAsync(release.Id, null, clock.GetUtcNow(), cancellationToken);
        await approvals.IssueAsync(NewToken(release.Id, CardAction.Approve, gate, release.Outputs.PlanHash, timeout), cancellationToken);
        await approvals.IssueAsync(NewToken(release.Id, CardAction.Reject, gate, release.Outputs.PlanHash, timeout), cancellationToken);
        if (release.Kind == ReleaseKind.Release)
            await approvals.IssueAsync(NewToken(release.Id, CardAction.Cancel, "cancel", null, timeout), cancellationToken);
    }

    /// <summary>Saves a release that reached an end state and does what that end requires.</summary>
    private async Task FinishAsync(Release release, string actor, string action, ReleaseState from, string detail, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        // Locked before the end is written, so a rolled-back environment is never left open by a crash in between.
        if (release.State == ReleaseState.RolledBack)
        {
            var reason = $"rolled back {release.PreviousTag ?? "?"} → {release.Tag} (rollback #{release.Id})";
            await environments.LockAsync(new EnvironmentLock(release.Environment, release.Requester, reason, now, null), now, cancellationToken);
        }
        // The end is written before the buttons are voided: a crash in between leaves buttons that the ended release
        // refuses, never a cancel or a rejection that was lost while its buttons were already gone.
        await RecordAsync(release, actor, action, from, detail, cancellationToken);
        await approvals.VoidAsync(release.Id, null, now, cancellationToken);
        if (release.State == ReleaseState.Failed && release.ChangedProduction)
            await approvals.IssueAsync(NewToken(release.Id, CardAction.Rollback, "rollback", null, TimeSpan.FromDays(7)), cancellationToken);
        await PublishCardAsync(release, cancellationToken);
        log.LogInformation("{Kind} {ReleaseId} {Tag} on {Environment} ended {State}", release.Kind, release.Id, release.Tag, release.Environment, release.State);

        if (release.State == ReleaseState.Failed && release.ChangedProduction && from is ReleaseState.Verify or ReleaseState.Smoke
            && settings.Environments.TryGetValue(release.Environment, out var env) && env.AutoRollback)
        {
            // In the background: this release's lock is held here, and starting a rollback takes it too.
            RunInBackground(async () =>
            {
                var rollback = await StartRollbackAsync(release, null, null, false, new Domain.ChatUser("chatops:auto-rollback"), release.Channel, _stopping.Token);
                if (rollback.Refusal is not null)
                    await cards.SayAsync(release, $"Auto-rollback of #{release.Id} could not start: {rollback.Refusal}", _stopping.Token);
            });
        }
    }
}
