using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// Runbook §7: restore the database when asked (after its own approval), put every machine back on its
/// recorded image (no rebuild), then check that each service is healthy and reports the previous tag.
/// Each part records itself, so a resumed rollback skips what is already done.
/// </summary>
public sealed class RollbackSteps : IReleaseStep
{
    public const string Restore = "Restore database";
    public const string Redeploy = "Redeploy";
    public const string Verify = "Verify";

    public ReleaseState State => ReleaseState.RollingBack;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        if (release.WithDatabase)
        {
            var failure = await PartAsync(context, Restore, async () =>
            {
                var backup = release.Outputs.Backup ?? throw new InvalidOperationException("No backup is recorded for this rollback.");
                release.Outputs.RestoreReport = await context.Ports.Database.RestoreAsync(context.Environment, backup, cancellationToken);
                return release.Outputs.RestoreReport;
            }, cancellationToken);
            if (failure is not null)
                return failure;
        }

        var redeployFailure = await PartAsync(context, Redeploy, async () =>
        {
            var targets = await TargetsAsync(context, cancellationToken);
            var rollout = new Rollout(context, release.Tag, RolloutShape.ForRollback(context.Environment), (t, ct) => VerifyServiceAsync(context, t, ct));
            var count = await rollout.RunAsync([.. targets.Select(t => new RolloutTarget(t.Service, t.App, t.Image))], cancellationToken);
            return $"{count} machine{(count == 1 ? "" : "s")} back on {release.Tag}";
        }, cancellationToken);
        if (redeployFailure is not null)
            return redeployFailure;

        var verifyFailure = await PartAsync(context, Verify, async () =>
        {
            var problems = await VerifyStep.CheckAsync(context, release.Tag, cancellationToken);
            if (problems.Count > 0)
                throw new InvalidOperationException(string.Join("; ", problems));
            return $"every service healthy on {release.Tag}";
        }, cancellationToken);
        return verifyFailure ?? StepOutcome.Done($"{release.Environment} back on {release.Tag}");
    }

    // Each service is checked as soon as its machines are back, so a broken one stops the other services'
    // rollout at once instead of after every machine moved; the Verify part still checks them all at the end.
    private static async Task VerifyServiceAsync(StepContext context, RolloutTarget target, CancellationToken cancellationToken)
    {
        var services = context.Environment.Services.Where(s => s.Name == target.Service).ToList();
        var problems = await VerifyStep.CheckAsync(context, services, context.Release.Tag, cancellationToken);
        if (problems.Count > 0)
            throw new InvalidOperationException(string.Join("; ", problems));
    }

    /// <summary>The image per service to return to: the one recorded when planning, else the tag's image from configuration.</summary>
    private static Task<List<(string Service, string App, string Image)>> TargetsAsync(StepContext context, CancellationToken cancellationToken)
    {
        _ = cancellationToken;
        var recorded = context.Release.Outputs.RollbackTargets;
        var targets = context.Environment.Services
            .Select(s => (s.Name, s.FlyApp, recorded.TryGetValue(s.Name, out var image) ? image : s.ImageFor(context.Release.Tag)))
            .ToList();
        return Task.FromResult(targets);
    }

    private static async Task<StepOutcome?> PartAsync(StepContext context, string name, Func<Task<string>> work, CancellationToken cancellationToken)
    {
        var step = context.Release.Step(name);
        if (step.Status == StepStatus.Done)
            return null;
        ReleaseWorkflow.StartPart(step, context.Clock.GetUtcNow());
        await context.CheckpointAsync(cancellationToken);
        try
        {
            ReleaseWorkflow.EndPart(step, done: true, await work(), context.Clock.GetUtcNow());
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException and not OutcomeUnknownException)
        {
            ReleaseWorkflow.EndPart(step, done: false, e.Message, context.Clock.GetUtcNow());
            return StepOutcome.Fail($"{name}: {e.Message}");
        }
        finally
        {
            step.FinishedAt ??= context.Clock.GetUtcNow();
            await context.CheckpointAsync(cancellationToken);
        }
    }
}
