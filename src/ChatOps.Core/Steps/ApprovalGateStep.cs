using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §4: work out exactly what would run, and stop for a human to approve it.</summary>
public sealed class ApprovalGateStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.AwaitApproval;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Release.Kind == ReleaseKind.Rollback)
        {
            var backup = context.Release.Outputs.Backup;
            return new StepOutcome(StepResult.AwaitApproval, $"restoring {(backup is null ? "the backup" : Path.GetFileName(backup.Location))} waits for an approver");
        }
        var plan = await BuildPlanAsync(context, cancellationToken);
        var outputs = context.Release.Outputs;
        outputs.Migrations = new MigrationPreview(outputs.Migrations?.Current, outputs.Migrations?.Head, plan.Migrations);
        outputs.PlanHash = plan.Hash();
        outputs.PlannedDigests = plan.Digests();
        if (plan.Migrations.Count == 0 && context.Environment.Migrations.SkipApprovalWhenNothingPending)
            return new StepOutcome(StepResult.NothingToApprove, "no pending migrations: nothing to approve");
        var count = plan.Migrations.Count;
        return new StepOutcome(StepResult.AwaitApproval, count == 0 ? "waiting for approval" : $"{count} migration{(count == 1 ? "" : "s")} to approve");
    }

    public static async Task<ReleasePlan> BuildPlanAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var sha = await context.Ports.SourceControl.GetTagCommitAsync(release.Tag, cancellationToken)
            ?? throw new InvalidOperationException($"Tag {release.Tag} is gone from the repository.");
        var preview = await MigrationPreviewer.PreviewAsync(context.Ports.DeployTarget, context.Environment.Migrations, cancellationToken);
        if (preview is not null)
            release.Outputs.Migrations = preview;
        var images = new List<PlannedImage>();
        foreach (var service in context.Environment.Services)
        {
            var image = DeployStep.ImageOf(release, service);
            images.Add(new PlannedImage(service.Name, image, await DigestAsync(context.Ports.Registry, image, cancellationToken)));
        }
        return new ReleasePlan(release.Tag, sha, images, preview?.Pending ?? []);
    }

    // An image pinned by digest (a promotion's) names its digest; a tag is looked up, as the registry holds it now.
    private static async Task<string?> DigestAsync(IImageRegistry? registry, string image, CancellationToken cancellationToken)
    {
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
            return image[(at + 1)..];
        return registry is null ? null : await registry.DigestAsync(image, cancellationToken);
    }
}
