using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;

namespace ChatOps.Core.Runner;

/// <summary>On the runner's sweep: approvers reminded of a gate nobody decided, and the release cancelled when nobody did in time.</summary>
public sealed class ApprovalExpiry(
    IReleaseStore releases,
    HeldRelease held,
    ReleaseButtons buttons,
    ReleaseRecorder recorder,
    ReleaseEnd end,
    ReleaseAnnouncer announcer,
    ChatOpsSettings settings,
    TimeProvider clock)
{
    /// <summary>
    /// At three quarters of the timeout the approvers are reminded, once per gate; an approval nobody decided in time
    /// cancels the release (the tag and backup stay), and the closing message says so.
    /// </summary>
    public async Task ExpireAsync(CancellationToken cancellationToken)
    {
        foreach (var waiting in await releases.ListAsync(null, activeOnly: true, limit: 1000, cancellationToken))
        {
            if (waiting.State != ReleaseState.AwaitApproval)
                continue;
            await held.DecideAsync(waiting.Id, async (release, leased) =>
            {
                var open = release is null ? [] : await buttons.OpenAsync(release.Id, cancellationToken);
                if (!GateRules.HasExpired(release, open))
                    return await RemindIfDueAsync(release!, open, leased);
                var gate = new ReleaseWorkflow(release!).CloseGate(StepStatus.Failed, $"nobody approved within {settings.Access.ApprovalTimeout}", clock.GetUtcNow());
                new ReleaseWorkflow(release!).Expire();
                await end.FinishAsync(release!, ReleaseRecorder.System, "expire", ReleaseState.AwaitApproval, gate.Detail, leased);
                return Decision.Yes("expired");
            }, cancellationToken);
        }
    }

    private async Task<Decision> RemindIfDueAsync(Release release, IReadOnlyList<ActionToken> open, CancellationToken cancellationToken)
    {
        if (release.State != ReleaseState.AwaitApproval || open.FirstOrDefault(t => t.Action == CardAction.Approve) is not { } approve)
            return Decision.No("no gate");
        var due = approve.CreatedAt + (approve.ExpiresAt - approve.CreatedAt) * 0.75;
        if (clock.GetUtcNow() < due || release.Outputs.RemindedGate == approve.Gate)
            return Decision.No("no reminder due");
        // Written before it is said: a crash in between skips a reminder rather than repeating it.
        release.Outputs.RemindedGate = approve.Gate;
        await recorder.CheckpointAsync(release, cancellationToken);
        await announcer.GateReminderAsync(release, approve, cancellationToken);
        return Decision.Yes("reminded");
    }
}
