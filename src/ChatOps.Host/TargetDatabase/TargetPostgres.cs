using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using Npgsql;

namespace ChatOps.Host.TargetDatabase;

/// <summary>Runbook §3, §4 and §7.2 on a real PostgreSQL: pg_dump to gzip, schema check with Npgsql, psql restore.</summary>
public sealed class TargetPostgres(TimeProvider clock, ILogger<TargetPostgres> log)
{
    public async Task<BackupRecord> BackupAsync(TargetConnection target, string environment, BackupSettings settings, string tag, DateTimeOffset reuseSince, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(settings.Directory);
        if (await FindCompleteAsync(settings, environment, tag, reuseSince, cancellationToken) is { } done)
            return done;
        var now = clock.GetUtcNow();
        var name = BackupFileName.For(tag, now, environment);
        var path = Path.GetFullPath(Path.Combine(settings.Directory, name));
        // Written under a temporary name and renamed only when complete, so a file with the final name is always whole.
        var partial = path + ".partial";
        try
        {
            var (exit, errors) = await TargetProcess.RunAsync("pg_dump", ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--format=plain"],
                target.ToEnvironment(), redirectInput: false, settings.DumpTimeout, async (process, ct) =>
                {
                    await using var file = File.Create(partial);
                    await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
                    await process.StandardOutput.BaseStream.CopyToAsync(gzip, ct);
                }, cancellationToken);
            if (exit != 0)
                throw new InvalidOperationException($"pg_dump of {target} failed (exit {exit}): {Tail(target.Scrub(errors.Trim()))}");
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
        var plainBytes = await UncompressedLengthAsync(partial, cancellationToken);
        if (plainBytes == 0)
        {
            File.Delete(partial);
            throw new InvalidOperationException($"pg_dump of {target} produced nothing; no backup was kept.");
        }
        File.Move(partial, path, overwrite: true);
        var sha256 = await HashAsync(path, cancellationToken);
        var size = new FileInfo(path).Length;
        log.LogInformation("Backed up {Target} to {Path} ({Size} bytes, sha256 {Sha256})", target.ToString(), path, size, sha256);
        Prune(settings, environment);
        return new BackupRecord("pg_dump", path, size, sha256, now);
    }

    public async Task<SchemaReport> VerifyAsync(TargetConnection target, IReadOnlyList<string> expectedTables, string? expectedHead, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ToNpgsql());
        await connection.OpenAsync(cancellationToken);
        var tables = await TablesAsync(connection, cancellationToken);
        var missing = expectedTables.Where(t => !tables.Contains(t)).ToList();
        string? version = null;
        if (tables.Contains("alembic_version"))
        {
            await using var command = new NpgsqlCommand("SELECT version_num FROM alembic_version LIMIT 1", connection);
            version = await command.ExecuteScalarAsync(cancellationToken) as string;
        }
        var checkedText = $"{expectedTables.Count - missing.Count}/{expectedTables.Count} expected tables, alembic_version {version ?? "empty"}";
        return new SchemaReport(missing, version, expectedHead, checkedText);
    }

    public async Task<string> RestoreAsync(TargetConnection target, BackupRecord backup, BackupSettings settings, IReadOnlyList<string> keyTables, CancellationToken cancellationToken)
    {
        if (!File.Exists(backup.Location))
            throw new InvalidOperationException($"The backup file {backup.Location} is gone; nothing was restored.");
        if (backup.Sha256 is not null && await HashAsync(backup.Location, cancellationToken) != backup.Sha256)
            throw new InvalidOperationException($"The backup file {Path.GetFileName(backup.Location)} does not match its recorded sha256; nothing was restored.");
        // The restore's own session gives up on a lock it cannot get, and on a statement that runs away, rather than
        // queueing behind the application (and holding its own locks) for ever.
        var environment = new Dictionary<string, string>(target.ToEnvironment())
        {
            ["PGOPTIONS"] = $"-c lock_timeout={Ms(settings.RestoreLockTimeout)} -c statement_timeout={Ms(settings.RestoreTimeout)}",
            ["PGAPPNAME"] = "chatops-restore",
        };
        var (exit, errors) = await TargetProcess.RunAsync("psql", ["-v", "ON_ERROR_STOP=1", "--single-transaction", "--quiet", "--no-psqlrc"],
            environment, redirectInput: true, settings.RestoreTimeout, async (process, ct) =>
            {
                var stdout = process.StandardOutput.ReadToEndAsync(ct);
                await using (var file = File.OpenRead(backup.Location))
                await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
                {
                    if (!await FeedAsync(gzip, process.StandardInput, ct))
                        log.LogInformation("psql stopped reading the dump {Backup} before its end; its exit code and errors say why", Path.GetFileName(backup.Location));
                }
                await stdout;
            }, cancellationToken);
        if (exit != 0)
        {
            var blocking = errors.Contains("lock timeout", StringComparison.OrdinalIgnoreCase) ? await BlockingSessionsAsync(target, cancellationToken) : "";
            throw new InvalidOperationException($"psql restore of {Path.GetFileName(backup.Location)} failed (exit {exit}), nothing was changed: "
                + $"{Tail(target.Scrub(errors))}{blocking}");
        }
        return await ReportAsync(target, keyTables, cancellationToken);
    }

    /// <summary>The sessions holding locks in the target database, named so the on-call engineer knows whom to stop.</summary>
    private static async Task<string> BlockingSessionsAsync(TargetConnection target, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(target.ToNpgsql());
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand(
                """
                SELECT a.pid, coalesce(a.usename, ''), coalesce(a.application_name, ''), coalesce(a.state, ''),
                       coalesce(extract(epoch FROM now() - a.xact_start)::int, 0), left(coalesce(a.query, ''), 80)
                FROM pg_stat_activity a
                WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.application_name <> 'chatops-restore'
                  AND EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.granted AND l.relation IS NOT NULL)
                ORDER BY a.xact_start NULLS LAST LIMIT 5
                """, connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var sessions = new List<string>();
            while (await reader.ReadAsync(cancellationToken))
            {
                sessions.Add($"pid {reader.GetInt32(0)} (user {reader.GetString(1)}, application '{reader.GetString(2)}', {reader.GetString(3)} "
                    + $"for {reader.GetInt32(4)}s: {reader.GetString(5)})");
            }
            return sessions.Count == 0 ? "" : $" Blocked by {string.Join("; ", sessions)}. End them with SELECT pg_terminate_backend(<pid>) once it is safe, then /resume.";
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            return "";
        }
    }

    // pg_dump's header turns both timeouts off for the session; the restore keeps the limits it was given instead.
    private static readonly HashSet<string> TimeoutResets = new(StringComparer.Ordinal) { "SET statement_timeout = 0;", "SET lock_timeout = 0;" };

    /// <summary>Writes the dump to psql and closes its input; false when psql stopped reading before the end.</summary>
    /// <remarks>
    /// With ON_ERROR_STOP psql exits at its first error (a lock timeout, a failed statement) while the rest of a dump
    /// larger than the pipe's buffer is still being written: the write then fails with a broken pipe. That is not the
    /// failure to report; psql's exit code and its stderr are, so the feeding just stops and psql is waited for.
    /// </remarks>
    private static async Task<bool> FeedAsync(Stream dump, StreamWriter psql, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(dump);
        // Only a failed write means psql left; a failure to read the backup file is its own error and propagates.
        var reading = true;
        try
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                reading = false;
                if (!TimeoutResets.Contains(line))
                    await psql.WriteLineAsync(line.AsMemory(), cancellationToken);
                reading = true;
            }
            reading = false;
            await psql.FlushAsync(cancellationToken);
            psql.Close();
            return true;
        }
        catch (IOException) when (!reading && !cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>What the runbook checks after a restore: the tables (\dt) and the row counts of the key ones.</summary>
    private static async Task<string> ReportAsync(TargetConnection target, IReadOnlyList<string> keyTables, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(target.ToNpgsql());
        await connection.OpenAsync(cancellationToken);
        var tables = await TablesAsync(connection, cancellationToken);
        var counts = new List<string>();
        foreach (var table in keyTables.Where(tables.Contains))
        {
            await using var command = new NpgsqlCommand($"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            counts.Add($"{table}={await command.ExecuteScalarAsync(cancellationToken)}");
        }
        var missing = keyTables.Where(t => !tables.Contains(t)).ToList();
        return $"{tables.Count} tables ({string.Join(", ", tables.Order())}); rows: {string.Join(", ", counts)}"
            + (missing.Count > 0 ? $"; missing: {string.Join(", ", missing)}" : "");
    }

    private static async Task<HashSet<string>> TablesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var tables = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            tables.Add(reader.GetString(0));
        return tables;
    }

    /// <summary>A whole dump of this tag and environment written since <paramref name="since"/>: an earlier attempt finished it and then crashed.</summary>
    private async Task<BackupRecord?> FindCompleteAsync(BackupSettings settings, string environment, string tag, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var file = Backups(settings, environment)
            .Where(f => BackupFileName.Parse(f.Name)!.Tag == tag && f.LastWriteTimeUtc >= since.UtcDateTime.AddSeconds(-1))
            .OrderByDescending(f => f.LastWriteTimeUtc)
            .FirstOrDefault();
        if (file is null)
            return null;
        log.LogInformation("Reusing the complete backup {Path} made by an earlier attempt", file.FullName);
        return new BackupRecord("pg_dump", file.FullName, file.Length, await HashAsync(file.FullName, cancellationToken), new DateTimeOffset(file.LastWriteTimeUtc));
    }

    private static async Task<long> UncompressedLengthAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await gzip.ReadAsync(buffer, cancellationToken)) > 0)
            total += read;
        return total;
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    // Keep applies per environment: several environments may share one directory, and pruning one never touches another's.
    private void Prune(BackupSettings settings, string environment)
    {
        var old = Backups(settings, environment).OrderByDescending(f => f.LastWriteTimeUtc).Skip(settings.Keep);
        foreach (var file in old)
        {
            file.Delete();
            log.LogInformation("Removed old backup {Path} (keeping {Keep})", file.FullName, settings.Keep);
        }
    }

    private static IEnumerable<FileInfo> Backups(BackupSettings settings, string environment) =>
        new DirectoryInfo(settings.Directory).GetFiles("backup_pre_*.sql.gz").Where(f => BackupFileName.Parse(f.Name)?.Environment == environment);

    private static string Tail(string text) => text.Length <= 400 ? text : "…" + text[^400..];
}
