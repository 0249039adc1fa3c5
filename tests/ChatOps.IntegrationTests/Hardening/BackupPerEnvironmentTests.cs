using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using ChatOps.Host.TargetDatabase;
using ChatOps.IntegrationTests.Store;
using Microsoft.Extensions.Logging.Abstractions;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>Two environments sharing one backup directory, with real pg_dump against a real PostgreSQL.</summary>
public sealed class BackupPerEnvironmentTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"chatops-backups-{Guid.NewGuid():N}");
    private readonly TargetPostgres _postgres = new(TimeProvider.System, NullLogger<TargetPostgres>.Instance);

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(_directory))
            Directory.Delete(_directory, recursive: true);
    }

    private Task<Core.Ports.BackupRecord> BackupAsync(string environment, string tag, DateTimeOffset since) =>
        _postgres.BackupAsync(TargetConnection.Parse(_database.ConnectionString), environment, new BackupSettings { Directory = _directory, Keep = 1 }, tag, since, CancellationToken.None);

    [Fact]
    public async Task Backup_names_carry_the_environment_and_a_resumed_backup_finds_only_its_own_environments_dump()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);

        var staging = await BackupAsync("staging", "v0.2.0", since);
        var production = await BackupAsync("production", "v0.2.0", since);
        var resumed = await BackupAsync("production", "v0.2.0", since);

        Assert.EndsWith("_staging.sql.gz", staging.Location);
        Assert.EndsWith("_production.sql.gz", production.Location);
        Assert.NotEqual(staging.Location, production.Location);
        Assert.Equal(production.Location, resumed.Location);
    }

    [Fact]
    public async Task Pruning_keeps_the_newest_backups_of_each_environment_and_never_deletes_another_environments()
    {
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        var production = await BackupAsync("production", "v0.1.0", since);

        var staging1 = await BackupAsync("staging", "v0.1.0", since);
        var staging2 = await BackupAsync("staging", "v0.2.0", since);

        Assert.True(File.Exists(production.Location), "staging's pruning deleted production's backup");
        Assert.False(File.Exists(staging1.Location));
        Assert.True(File.Exists(staging2.Location));
    }
}
