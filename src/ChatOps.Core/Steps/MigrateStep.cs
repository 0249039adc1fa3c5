using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §4: the approved migrations, run in the release's migration machine (on the release's own image).</summary>
public sealed class MigrateStep : IReleaseStep
{
    private const int MaxConsole = 2500;

    public ReleaseState State => ReleaseState.Migrate;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var settings = context.Environment.Migrations;
        if (settings.App.Length == 0)
        {
            // Nothing to migrate, but this is still the first step past the approval: what deploys must be what was approved.
            var deployed = await ApprovalGateStep.BuildPlanAsync(context, cancellationToken);
            return release.Outputs.PlanHash is not null && deployed.Hash() != release.Outputs.PlanHash
                ? PlanChanged(deployed, release)
                : StepOutcome.Skip("no migrations configured");
        }

        var approvedHead = release.Outputs.Migrations?.Head;
        var approvedCount = release.Outputs.Migrations?.Pending.Count ?? 0;
        var plan = await ApprovalGateStep.BuildPlanAsync(context, cancellationToken);
        // A resumed release whose migrations did finish before the crash: at the approved head now, nothing to run again.
        if (approvedCount > 0 && plan.Migrations.Count == 0 && release.Outputs.Migrations?.Current == approvedHead && release.Step(nameof(ReleaseState.Migrate)).Attempts > 1)
        {
            release.Outputs.MigrationExitCode = 0;
            await context.Environments.RecordMigrationAsync(release.Environment, approvedHead!, cancellationToken);
            return StepOutcome.Done($"already at {approvedHead}: the migrations finished before the interruption");
        }
        if (plan.Hash() != release.Outputs.PlanHash)
            return PlanChanged(plan, release);

        var command = settings.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var applying = plan.Migrations.Count == 0
            ? $"running {settings.Command}"
            : $"applying {plan.Migrations.Count} revision{(plan.Migrations.Count == 1 ? "" : "s")} up to {release.Outputs.Migrations?.Head ?? plan.Migrations[^1].Revision}: {string.Join(", ", plan.Migrations.Select(m => m.Revision))}";
        await context.ReportAsync(applying, cancellationToken);
        await context.DetailAsync($"{applying} in {settings.App} (machine on {ReleaseMigrationMachine.ImageOf(release, context.Environment)})", null, cancellationToken);
        // BuildPlanAsync found (or made again, after an idle gate) the machine the plan was read in.
        var machine = await ReleaseMigrationMachine.StartAsync(context, cancellationToken);
        var result = await context.Ports.DeployTarget.ExecAsync(machine, command, settings.Timeout, cancellationToken);
        release.Outputs.MigrationExitCode = result.ExitCode;
        var output = result.ExitCode == 0 ? result.Stderr + result.Stdout : result.Stderr.Length > 0 ? result.Stderr : result.Stdout;
        release.Outputs.MigrationOutputTail = MigrationPreviewer.Tail(output, 600);
        // Beside the card there is room for the whole console, both streams, up to what one chat message holds.
        var console = (result.Stderr + result.Stdout).Trim();
        await context.DetailAsync($"`{settings.Command}` exited {result.ExitCode}{(console.Length == 0 ? " with no output" : "")}",
            console.Length == 0 ? null : MigrationPreviewer.Tail(console, MaxConsole), cancellationToken);
        if (result.ExitCode != 0)
            return StepOutcome.Fail($"`{settings.Command}` exited {result.ExitCode}: {MigrationPreviewer.Tail(output, 300)}");

        if (release.Outputs.Migrations?.Head is { } head)
            await context.Environments.RecordMigrationAsync(release.Environment, head, cancellationToken);
        var count = plan.Migrations.Count;
        return StepOutcome.Done(count == 0 ? "nothing to apply" : $"applied {count} migration{(count == 1 ? "" : "s")}");
    }

    private static StepOutcome PlanChanged(ReleasePlan now, Release release) =>
        now.ImagesChangedSince(release.Outputs.PlannedDigests) is { Count: > 0 } images
            ? new StepOutcome(StepResult.PlanChanged, $"the image changed since the plan was shown, pushed again under the same tag: {string.Join(", ", images)}. Nothing was migrated or deployed; the approval is void: asking again")
            : new StepOutcome(StepResult.PlanChanged, "the plan changed since it was approved: asking again");
}
