using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace ChatOps.Host.TargetDatabase;

/// <summary>pg_dump refuses a server of a newer major version than its own: the client's and the server's majors, compared.</summary>
public static class PostgresVersions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>The major version of the pg_dump on PATH, from <c>pg_dump --version</c> ("pg_dump (PostgreSQL) 17.2 …").</summary>
    public static async Task<int> PgDumpMajorAsync(CancellationToken cancellationToken)
    {
        var text = "";
        var (exit, _) = await TargetProcess.RunAsync("pg_dump", ["--version"], new Dictionary<string, string>(), redirectInput: false, Timeout,
            async (process, ct) => text = await process.StandardOutput.ReadToEndAsync(ct), cancellationToken);
        return exit == 0 && ParseClientMajor(text) is { } major
            ? major
            : throw new InvalidOperationException($"pg_dump --version answered '{text.Trim()}' (exit {exit}), not a version.");
    }

    public static int? ParseClientMajor(string versionText) =>
        ClientVersion.Match(versionText) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>The target server's major version (server_version_num 170002 → 17), with a bounded connect.</summary>
    public static async Task<int> ServerMajorAsync(TargetConnection target, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(target.ToNpgsql()) { Timeout = 10, CommandTimeout = 10 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SHOW server_version_num", connection);
        var number = int.Parse((string)(await command.ExecuteScalarAsync(cancellationToken))!, CultureInfo.InvariantCulture);
        return number / 10000;
    }

    /// <summary>Null when pg_dump can dump the server; else the one line that says what to do.</summary>
    public static string? Mismatch(int clientMajor, int serverMajor, string target) =>
        serverMajor > clientMajor
            ? $"The target database {target} runs PostgreSQL {serverMajor}, newer than pg_dump {clientMajor}, which refuses to dump it: rebuild the image with --build-arg PG_MAJOR={serverMajor} (or install postgresql-client-{serverMajor})."
            : null;

    private static readonly Regex ClientVersion = new(@"\(PostgreSQL\)\s+(\d+)", RegexOptions.Compiled);
}
