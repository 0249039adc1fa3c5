using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// Runbook §4 "verify migrations": the expected tables exist and <c>alembic_version</c> is the head of the release's
/// image. Then the release's migration machine has done its work and is destroyed.
/// </summary>
public sealed class VerifySchemaStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.VerifySchema;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var environment = context.Environment;
        if (environment.Migrations.App.Length == 0 && environment.DatabaseUrl.Length == 0)
            return StepOutcome.Skip("no database configured");
        var head = context.Release.Outputs.Migrations?.Head;
        var report = environment.DatabaseUrl.Length > 0
            ? await context.Ports.Database.VerifySchemaAsync(environment, head, cancellationToken)
            : await ReadThroughAlembicAsync(context, head, cancellationToken);
        if (environment.Migrations.App.Length > 0)
            await DestroyMachineAsync(context, cancellationToken);
        if (report.Ok)
            return StepOutcome.Done(report.Checked);
        var problems = new List<string>();
        if (report.MissingTables.Count > 0)
            problems.Add($"missing tables: {string.Join(", ", report.MissingTables)}");
        if (report.ExpectedHead is not null && report.AlembicVersion != report.ExpectedHead)
            problems.Add($"alembic_version is {report.AlembicVersion ?? "empty"}, expected {report.ExpectedHead} (the head of {context.Release.Tag}'s image)");
        return StepOutcome.Fail($"Schema check failed — {string.Join("; ", problems)}.");
    }

    // Cleaning up is not the release's outcome: a machine left behind is noted, and the sweep removes it later.
    private static async Task DestroyMachineAsync(StepContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.Ports.DeployTarget.DestroyMigrationMachinesAsync(context.Environment.Migrations.App, context.Release.Id, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            context.Release.Outputs.Notes.Add($"the migration machine in {context.Environment.Migrations.App} was not destroyed yet ({e.Message}); the bot's sweep removes it");
        }
    }

    // Without a DatabaseUrl the bot cannot list tables; the release's image reads the revision the database is at.
    private static async Task<SchemaReport> ReadThroughAlembicAsync(StepContext context, string? head, CancellationToken cancellationToken)
    {
        var machine = await ReleaseMigrationMachine.StartAsync(context, cancellationToken);
        var revision = await MigrationPreviewer.CurrentAsync(context.Ports.DeployTarget, machine, cancellationToken);
        var tables = context.Environment.Migrations.ExpectedTables.Count == 0 ? "" : "; tables not listed (no DatabaseUrl configured)";
        return new SchemaReport([], revision, head, $"alembic at {revision ?? "empty"}{tables}");
    }
}
