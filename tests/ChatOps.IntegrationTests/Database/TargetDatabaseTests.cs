using System.IO.Compression;
using ChatOps.Host.Sandbox;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Store;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace ChatOps.IntegrationTests.Database;

/// <summary>Runbook §3, §4 and §7.2 against a real PostgreSQL, real pg_dump/psql and the target app's real Alembic migrations.</summary>
public sealed class TargetDatabaseTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _backups = Path.Combine(Path.GetTempPath(), $"chatops-backups-{Guid.NewGuid():N}");

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_backups))
            Directory.Delete(_backups, recursive: true);
    }

    private Task<SandboxBot> StartAsync(string? databaseUrl = null, IDictionary<string, string?>? more = null) => SandboxBot.StartAsync(
        new Dictionary<string, string?>
        {
            ["Sandbox:DatabaseUrl"] = databaseUrl ?? _database.ConnectionString,
            ["ChatOps:Environments:production:Backup:Mode"] = "pg_dump",
            ["ChatOps:Environments:production:Backup:Directory"] = _backups,
        }.Concat(more ?? new Dictionary<string, string?>()).ToDictionary());

    /// <summary>The database as production has it before the release: two revisions applied, some runs.</summary>
    private async Task SeedAsync()
    {
        var alembic = new RealAlembic(RealAlembic.DefaultProject, Host.TargetDatabase.TargetConnection.Parse(_database.ConnectionString).ToUrl(), RealAlembic.DefaultPython);
        var result = await alembic.RunAsync(new FlyExecRequest("app", "m", ["alembic", "upgrade", "2b3c4d5e6f7a"], 60), CancellationToken.None);
        Assert.True(result.ExitCode == 0, result.Stderr);
        await _database.ExecuteAsync("INSERT INTO runs (run_id, status) VALUES ('run-seed-1', 'published'), ('run-seed-2', 'running')");
    }

    [Fact]
    public async Task A_release_backs_up_lists_the_two_pending_revisions_migrates_and_checks_the_schema()
    {
        await SeedAsync();
        await using var bot = await StartAsync();

        var requested = await bot.SayAsync("/release v0.2.0");
        Assert.Contains("3c4d5e6f7a8b create webhook_events", requested);
        Assert.Contains("4d5e6f7a8b9c add runs.priority", requested);
        Assert.Contains("backup_pre_v0.2.0_", requested);
        await bot.SayAsync("/as bob");
        var done = await bot.SayAsync("/approve 1");

        Assert.Contains("✅ Released v0.2.0", done);
        Assert.Contains("3/3 expected tables, alembic_version 4d5e6f7a8b9c", done);
        var release = await bot.Store.GetAsync(1, CancellationToken.None);
        var backup = release!.Outputs.Backup!;
        Assert.Matches(@"backup_pre_v0\.2\.0_\d{12}_production\.sql\.gz$", backup.Location);
        Assert.Equal(64, backup.Sha256!.Length);
        var dump = await GunzipAsync(backup.Location);
        Assert.Contains("run-seed-1", dump);
        Assert.Contains("DROP TABLE IF EXISTS public.runs", dump);
        Assert.Empty(Directory.GetFiles(_backups, "*.partial"));
    }

    [Fact]
    public async Task A_wrong_password_fails_the_backup_readably_and_the_password_is_shown_nowhere()
    {
        const string wrong = "not-the-password-7f3a";
        var url = new NpgsqlConnectionStringBuilder(_database.ConnectionString) { Password = wrong }.ConnectionString;
        await using var bot = await StartAsync(url);

        var output = await bot.SayAsync("/release v0.2.0");

        Assert.Contains("Failed at Backup", output);
        Assert.Contains("password authentication failed", output);
        Assert.DoesNotContain(wrong, output);
        var events = await bot.Store.EventsAsync(1, null, 100, CancellationToken.None);
        Assert.DoesNotContain(events, e => e.Detail.Contains(wrong, StringComparison.Ordinal));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.exec"));
    }

    [Fact]
    public async Task A_migration_that_raises_fails_the_release_with_its_error_text()
    {
        await SeedAsync();
        await _database.ExecuteAsync("CREATE TABLE webhook_events (id int)");
        await using var bot = await StartAsync();
        await bot.SayAsync("/release v0.2.0");
        await bot.SayAsync("/as bob");

        var output = await bot.SayAsync("/approve 1");

        Assert.Contains("Failed at Migrate", output);
        Assert.Contains("relation \"webhook_events\" already exists", output);
    }

    [Fact]
    public async Task Rollback_with_database_restores_the_backup_after_its_own_approval()
    {
        await SeedAsync();
        await using var bot = await StartAsync();
        await bot.ReleaseApprovedAsync("v0.2.0");
        await _database.ExecuteAsync("DROP TABLE artifacts");
        await _database.ExecuteAsync("INSERT INTO runs (run_id, status) VALUES ('run-after-1', 'running')");

        var asked = await bot.SayConfirmedAsync("/rollback --with-db");
        Assert.Contains("every write since then will be lost", asked);
        Assert.Contains("[1] Approve restore", asked);
        await bot.SayAsync("/as bob");
        var restored = await bot.SayAsync("1");

        Assert.Contains("Rolled back production to v0.1.0", restored);
        Assert.Contains("runs=2", restored);
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM runs"));
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM runs WHERE run_id = 'run-after-1'"));
        Assert.Equal(1L, await ScalarAsync("SELECT COUNT(*) FROM information_schema.tables WHERE table_name = 'artifacts'"));
        Assert.Equal("2b3c4d5e6f7a", await ScalarAsync("SELECT version_num FROM alembic_version"));
    }

    [Fact]
    public async Task A_restore_blocked_by_the_applications_lock_gives_up_names_the_blocking_session_and_leaves_no_process()
    {
        await SeedAsync();
        await using var bot = await StartAsync(more: new Dictionary<string, string?>
        {
            ["ChatOps:Environments:production:Backup:RestoreLockTimeout"] = "00:00:01",
            ["ChatOps:Environments:production:Backup:RestoreTimeout"] = "00:01:00",
        });
        await bot.ReleaseApprovedAsync("v0.2.0");
        // The application holds a lock on runs in an open transaction, as a long report would.
        await using var app = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_database.ConnectionString) { ApplicationName = "myloware-report" }.ConnectionString);
        await app.OpenAsync();
        await using var transaction = await app.BeginTransactionAsync();
        await using (var hold = new NpgsqlCommand("LOCK TABLE runs IN ACCESS SHARE MODE", app, transaction))
            await hold.ExecuteNonQueryAsync();

        await bot.SayConfirmedAsync("/rollback --with-db");
        await bot.SayAsync("/as bob");
        var output = await bot.SayAsync("1");

        Assert.Contains("Rollback failed", output);
        Assert.Contains("lock timeout", output);
        Assert.Contains("application 'myloware-report'", output);
        Assert.Empty(ChildProcesses("psql"));
        await transaction.RollbackAsync();
        Assert.Equal(2L, await ScalarAsync("SELECT COUNT(*) FROM runs"));
    }

    [Fact]
    public async Task A_destructive_revision_is_marked_so_at_the_gate_from_real_alembics_offline_sql_and_applied_from_the_new_image()
    {
        await SeedAsync();
        await using var bot = await StartAsync();
        await bot.ReleaseApprovedAsync("v0.2.0");

        var gate = await bot.SayAsync("/release v0.3.0");

        Assert.Contains("5e6f7a8b9c0d drop webhook_events.payload — destructive: drops column webhook_events.payload", gate);
        Assert.Contains("⚠ destructive: going back needs the backup restore", gate);
        Assert.Contains("ALTER TABLE webhook_events DROP COLUMN payload;", gate);
        await bot.SayAsync("/as bob");
        var done = await bot.SayAsync("/approve 2");

        Assert.Contains("✅ Released v0.3.0", done);
        Assert.Contains("alembic_version 5e6f7a8b9c0d", done);
        Assert.Equal(0L, await ScalarAsync("SELECT COUNT(*) FROM information_schema.columns WHERE table_name = 'webhook_events' AND column_name = 'payload'"));
    }

    [Fact]
    public async Task Rollback_check_names_the_target_the_migrations_since_and_the_backup_and_changes_nothing()
    {
        await SeedAsync();
        await using var bot = await StartAsync();
        await bot.ReleaseApprovedAsync("v0.2.0");

        var check = await bot.SayAsync("/rollback --check");

        Assert.Contains("Target: v0.1.0", check);
        Assert.Contains("3c4d5e6f7a8b create webhook_events (#1, additive)", check);
        Assert.Contains("4d5e6f7a8b9c add runs.priority (#1, additive)", check);
        Assert.Contains("Old code on a newer schema: revision 4d5e6f7a8b9c is unknown to v0.1.0.", check);
        Assert.Contains("backup_pre_v0.2.0_", check);
        // The verdicts come from the SQL real Alembic printed offline at the approval: a new table and a column with a default.
        Assert.Contains("Safe: the migrations since v0.1.0 are additive only, so its images can go back without a restore.", check);
        Assert.Single(await bot.Store.ListAsync("production", activeOnly: false, limit: 10, CancellationToken.None));
    }

    /// <summary>The processes of that name this test process started (the fourth field of /proc/pid/stat is the parent).</summary>
    private static List<int> ChildProcesses(string name) =>
        System.Diagnostics.Process.GetProcessesByName(name)
            .Where(p => File.Exists($"/proc/{p.Id}/stat") && File.ReadAllText($"/proc/{p.Id}/stat").Split(") ")[^1].Split(' ')[1] == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Select(p => p.Id).ToList();

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private static async Task<string> GunzipAsync(string path)
    {
        await using var file = File.OpenRead(path);
        await using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        return await reader.ReadToEndAsync();
    }
}
