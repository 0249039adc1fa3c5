using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §4: the approved migrations, run inside a machine of the migrations app.</summary>
public sealed class MigrateStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Migrate;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var settings = context.Environment.Migrations;
        if (settings.App.Length == 0)
            return StepOutcome.Skip("no migrations configured");

        var plan = await ApprovalGateStep.BuildPlanAsync(context, cancellationToken);
        if (plan.Hash() != release.Outputs.PlanHash)
            return new StepOutcome(StepResult.PlanChanged, "the plan changed since it was approved: asking again");

        var command = settings.Command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var result = await context.Ports.DeployTarget.ExecAsync(settings.App, command, settings.Timeout, cancellationToken);
        release.Outputs.MigrationExitCode = result.ExitCode;
        var output = result.ExitCode == 0 ? result.Stderr + result.Stdout : result.Stderr.Length > 0 ? result.Stderr : result.Stdout;
        release.Outputs.MigrationOutputTail = MigrationPreviewer.Tail(output, 600);
        if (result.ExitCode != 0)
            return StepOutcome.Fail($"`{settings.Command}` exited {result.ExitCode}: {MigrationPreviewer.Tail(output, 300)}");

        if (release.Outputs.Migrations?.Head is { } head)
            await context.Environments.RecordMigrationAsync(release.Environment, head, cancellationToken);
        var count = plan.Migrations.Count;
        return StepOutcome.Done(count == 0 ? "nothing to apply" : $"applied {count} migration{(count == 1 ? "" : "s")}");
    }
}
