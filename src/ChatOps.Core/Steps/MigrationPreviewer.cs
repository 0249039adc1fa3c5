using System.Text.RegularExpressions;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// Asks Alembic in the release's migration machine (on the release's own image, which alone knows the release's
/// revisions) what is applied, what would run, and what SQL that is.
/// </summary>
public static partial class MigrationPreviewer
{
    /// <summary>The most SQL kept with the release: enough for any reviewable migration, bounded for the store.</summary>
    public const int MaxSql = 60_000;

    private const string Separator = "@@chatops-preview@@";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<MigrationPreview> PreviewAsync(IDeployTarget target, MigrationMachine machine, CancellationToken cancellationToken)
    {
        // One exec for the three reads: on Fly each exec costs seconds of its own.
        var script = $"alembic current && echo {Separator} && alembic heads && echo {Separator} && alembic history";
        var read = await RunAsync(target, machine, ["sh", "-c", script], cancellationToken);
        var parts = read.Split(Separator);
        if (parts.Length != 3)
            throw new InvalidOperationException($"`{script}` in {machine.App} printed something other than three answers: {Tail(read, 300)}");
        var current = AlembicOutput.ParseRevision(parts[0]);
        var head = AlembicOutput.ParseRevision(parts[1]);
        var pending = AlembicOutput.Pending(parts[2], current, head);
        if (pending.Count == 0 || head is null)
            return new MigrationPreview(current, head, pending);

        var range = current is null ? head : $"{current}:{head}";
        var sql = await target.ReadAsync(machine, ["alembic", "upgrade", range, "--sql"], Timeout, cancellationToken);
        if (sql.ExitCode != 0)
        {
            return new MigrationPreview(current, head, pending)
            {
                SqlProblem = $"offline mode is not available in the project (`alembic upgrade {range} --sql` exited {sql.ExitCode}: {Tail(LastLine(sql.Stderr), 160)}), so only the revisions are shown",
            };
        }
        var verdicts = MigrationSql.Judge(sql.Stdout);
        return new MigrationPreview(current, head,
            [.. pending.Select(p => verdicts.TryGetValue(p.Revision, out var v) ? p with { Verdict = v.Verdict, Why = v.Why } : p)])
        {
            Sql = sql.Stdout.Length <= MaxSql ? sql.Stdout : sql.Stdout[..MaxSql] + "\n-- … (cut: longer than the bot keeps)\n",
        };
    }

    /// <summary>The database's revision as the release's image reads it (the schema check's question).</summary>
    public static async Task<string?> CurrentAsync(IDeployTarget target, MigrationMachine machine, CancellationToken cancellationToken) =>
        AlembicOutput.ParseRevision(await RunAsync(target, machine, ["alembic", "current"], cancellationToken));

    private static async Task<string> RunAsync(IDeployTarget target, MigrationMachine machine, string[] command, CancellationToken cancellationToken)
    {
        var result = await target.ReadAsync(machine, command, Timeout, cancellationToken);
        if (result.ExitCode == 0)
            return result.Stdout;
        if (UnknownRevision().Match(result.Stderr) is { Success: true } unknown)
        {
            throw new InvalidOperationException(
                $"The database is at revision {unknown.Groups[1].Value}, which {machine.Image} does not know: the database was migrated by a newer release than this image. Nothing was changed.");
        }
        throw new InvalidOperationException($"`{string.Join(' ', command)}` in {machine.App} exited {result.ExitCode}: {Tail(result.Stderr, 300)}");
    }

    private static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    public static string Tail(string text, int max)
    {
        text = text.TrimEnd();
        return text.Length <= max ? text : "…" + text[^max..];
    }

    [GeneratedRegex(@"Can't locate revision identified by '([^']+)'")]
    private static partial Regex UnknownRevision();
}
