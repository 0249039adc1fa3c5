using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using ChatOps.Host.TargetDatabase;
using ChatOps.IntegrationTests.Store;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ChatOps.IntegrationTests.Database;

/// <summary>
/// A restore that psql gives up on while the dump is still being fed to it, with real pg_dump, psql and PostgreSQL.
/// The dump is several hundred KiB, well past a pipe's buffer, so psql leaves while the bot is still writing.
/// </summary>
public sealed class AbandonedRestoreTests : IAsyncLifetime
{
    private const int Rows = 4000;

    private readonly PostgresTestDatabase _database = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"chatops-backups-{Guid.NewGuid():N}");
    private readonly TargetPostgres _postgres = new(TimeProvider.System, NullLogger<TargetPostgres>.Instance);
    private readonly BackupSettings _settings;

    public AbandonedRestoreTests()
    {
        _settings = new BackupSettings { Directory = _directory, RestoreLockTimeout = TimeSpan.FromSeconds(1), RestoreTimeout = TimeSpan.FromMinutes(1) };
    }

    private TargetConnection Target => TargetConnection.Parse(_database.ConnectionString);

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        await _database.ExecuteAsync("CREATE TABLE runs (id int PRIMARY KEY, status text NOT NULL, payload text NOT NULL)");
        await _database.ExecuteAsync($"INSERT INTO runs SELECT g, 'published', repeat(md5(g::text), 4) FROM generate_series(1, {Rows}) g");
    }

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private async Task<BackupRecord> BackupAsync()
    {
        var backup = await _postgres.BackupAsync(Target, "production", _settings, "v0.1.0", DateTimeOffset.UtcNow.AddMinutes(-1), CancellationToken.None);
        var plain = await DumpLengthAsync(backup.Location);
        Assert.True(plain > 256 * 1024, $"the dump is only {plain} bytes, within a pipe's buffer");
        return backup;
    }

    [Fact]
    public async Task A_restore_psql_gives_up_on_for_a_lock_reports_its_exit_code_the_lock_timeout_the_holder_and_that_nothing_changed()
    {
        var backup = await BackupAsync();
        await _database.ExecuteAsync("INSERT INTO runs VALUES (0, 'running', 'after the backup')");
        // The application reads runs in an open transaction, as a long report would: the dump's DROP TABLE waits for it.
        await using var app = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = "myloware-report" }.ConnectionString);
        await app.OpenAsync();
        await using var transaction = await app.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("LOCK TABLE runs IN ACCESS SHARE MODE", app, transaction))
            await hold.ExecuteNonQueryAsync();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _postgres.RestoreAsync(Target, backup, _settings, ["runs"], CancellationToken.None));

        Assert.DoesNotContain("Broken pipe", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("exit 3", failure.Message);
        Assert.Contains("lock timeout", failure.Message);
        Assert.Contains($"pid {app.ProcessID}", failure.Message);
        Assert.Contains("application 'myloware-report'", failure.Message);
        Assert.Contains("nothing was changed", failure.Message);
        await transaction.RollbackAsync();
        Assert.Equal(Rows + 1L, await ScalarAsync("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task A_restore_psql_stops_at_an_sql_error_early_in_the_dump_reports_its_exit_code_and_error_and_changes_nothing()
    {
        var backup = await BackupAsync();
        await _database.ExecuteAsync("INSERT INTO runs VALUES (0, 'running', 'after the backup')");
        // A view made since the backup: the dump's DROP TABLE runs, near its top, fails on it.
        await _database.ExecuteAsync("CREATE VIEW running_runs AS SELECT id FROM runs WHERE status = 'running'");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => _postgres.RestoreAsync(Target, backup, _settings, ["runs"], CancellationToken.None));

        Assert.DoesNotContain("Broken pipe", failure.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("exit 3", failure.Message);
        Assert.True(failure.Message.Contains("cannot drop table public.runs because other objects depend on it", StringComparison.Ordinal), failure.Message);
        Assert.Contains("nothing was changed", failure.Message);
        Assert.DoesNotContain("Blocked by", failure.Message);
        Assert.Equal(Rows + 1L, await ScalarAsync("SELECT COUNT(*) FROM runs"));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM running_runs"));
    }

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<long> DumpLengthAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await gzip.ReadAsync(buffer)) > 0)
            total += read;
        return total;
    }
}
