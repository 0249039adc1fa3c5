using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §4 "verify migrations": the expected tables exist and Alembic is at head.</summary>
public sealed class VerifySchemaStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.VerifySchema;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        if (context.Environment.Migrations.App.Length == 0 && context.Environment.DatabaseUrl.Length == 0)
            return StepOutcome.Skip("no database configured");
        var report = await context.Ports.Database.VerifySchemaAsync(context.Environment, context.Release.Outputs.Migrations?.Head, cancellationToken);
        if (report.Ok)
            return StepOutcome.Done(report.Checked);
        var problems = new List<string>();
        if (report.MissingTables.Count > 0)
            problems.Add($"missing tables: {string.Join(", ", report.MissingTables)}");
        if (report.ExpectedHead is not null && report.AlembicVersion != report.ExpectedHead)
            problems.Add($"alembic_version is {report.AlembicVersion ?? "empty"}, expected {report.ExpectedHead}");
        return StepOutcome.Fail($"Schema check failed — {string.Join("; ", problems)}.");
    }
}
