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
        outputs.Changes ??= await ChangesAsync(context, cancellationToken);
        outputs.PlanHash = plan.Hash();
        outputs.PlannedDigests = plan.Digests();
        if (outputs.Migrations?.Sql is { } sql)
            await context.DetailAsync($"the SQL of {plan.Migrations.Count} migration{(plan.Migrations.Count == 1 ? "" : "s")} ({Verdicts(outputs.Migrations)})", sql.Trim(), cancellationToken);
        // A hotfix goes out in an incident, where a second pair of eyes matters more than the migrations.
        var hotfix = outputs.Hotfix;
        if (plan.Migrations.Count == 0 && context.Environment.Migrations.SkipApprovalWhenNothingPending && !hotfix)
            return new StepOutcome(StepResult.NothingToApprove, "nothing to migrate: no approval needed");
        var count = plan.Migrations.Count;
        return new StepOutcome(StepResult.AwaitApproval, count == 0
            ? $"{(hotfix ? "hotfix in an incident, nothing to migrate" : "nothing to migrate")}: approve to deploy {context.Release.Tag}"
            : $"{count} migration{(count == 1 ? "" : "s")} to approve ({Verdicts(outputs.Migrations!)})");
    }

    // A courtesy for the approver: a GitHub that cannot compare must not hold the gate back.
    private static async Task<ReleaseChanges?> ChangesAsync(StepContext context, CancellationToken cancellationToken)
    {
        try
        {
            var release = context.Release;
            return ReleaseChanges.Of(release.PreviousTag, await context.Ports.SourceControl.GetChangesAsync(release.PreviousTag, release.Tag, cancellationToken));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>"additive", "1 destructive" — or nothing known about them.</summary>
    public static string Verdicts(MigrationPreview preview)
    {
        var destructive = preview.Pending.Count(p => p.Verdict == MigrationVerdict.Destructive);
        return preview.Pending.Any(p => p.Verdict is null) ? "SQL not read"
            : destructive == 0 ? "additive"
            : destructive == preview.Pending.Count ? "destructive"
            : $"{destructive} destructive";
    }

    /// <summary>
    /// The plan an approval binds: the commit, every service's image and its digest, and the migrations the release's
    /// image would run, read in its migration machine (started here if it is not there yet).
    /// </summary>
    public static async Task<ReleasePlan> BuildPlanAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var sha = await context.Ports.SourceControl.GetTagCommitAsync(release.Tag, cancellationToken)
            ?? throw new InvalidOperationException($"Tag {release.Tag} is gone from the repository.");
        var images = new List<PlannedImage>();
        foreach (var service in context.Environment.Services)
        {
            var image = DeployStep.ImageOf(release, service);
            images.Add(new PlannedImage(service.Name, image, await DigestAsync(context.Ports.Registry, image, cancellationToken)));
        }
        if (context.Environment.Migrations.App.Length == 0)
            return new ReleasePlan(release.Tag, sha, images, []);

        var planned = images.ToDictionary(i => i.Service, i => i.Digest, StringComparer.OrdinalIgnoreCase);
        var migrationsService = context.Environment.Services.FirstOrDefault(s => s.FlyApp == context.Environment.Migrations.App);
        var migrationImage = ReleaseMigrationMachine.ImageOf(release, context.Environment, migrationsService is null ? null : planned.GetValueOrDefault(migrationsService.Name));
        var machine = await ReleaseMigrationMachine.StartAsync(context, migrationImage, cancellationToken);
        var preview = await MigrationPreviewer.PreviewAsync(context.Ports.DeployTarget, machine, cancellationToken);
        release.Outputs.Migrations = preview;
        return new ReleasePlan(release.Tag, sha, images, preview.Pending);
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
