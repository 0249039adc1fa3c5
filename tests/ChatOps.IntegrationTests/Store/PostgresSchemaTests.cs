using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Store.Postgres;
using Npgsql;

namespace ChatOps.IntegrationTests.Store;

/// <summary>Schema migrations on a database of their own for every test, since each starts from nothing.</summary>
public sealed class PostgresSchemaTests : IAsyncLifetime
{
    private readonly PostgresTestDatabase _database = new();
    private readonly List<PostgresDatabase> _databases = [];

    public Task InitializeAsync() => _database.InitializeAsync();

    public async Task DisposeAsync()
    {
        foreach (var database in _databases)
            await database.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public void The_schema_scripts_are_embedded_and_numbered_from_one_without_gaps()
    {
        Assert.Equal(Enumerable.Range(1, PostgresSchema.Scripts.Count), PostgresSchema.Scripts.Select(s => s.Version));
        Assert.All(PostgresSchema.Scripts, s => Assert.Matches("CREATE|ALTER", s.Sql));
    }

    [Fact]
    public async Task Two_stores_migrating_one_fresh_database_at_once_both_succeed()
    {
        var first = NewDatabase();
        var second = NewDatabase();

        var applied = await Task.WhenAll(Task.Run(() => first.MigrateAsync(CancellationToken.None)), Task.Run(() => second.MigrateAsync(CancellationToken.None)));

        // One of them did the work; the other waited on the advisory lock and found nothing left to do.
        Assert.Equal([0, PostgresSchema.Scripts.Count], applied.Order());
        Assert.Equal(PostgresSchema.Scripts.Select(s => s.Version), await AppliedVersionsAsync());
        var release = new Release { Environment = "production", Tag = "v1.0.0", Requester = "alice", CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch };
        Assert.NotNull((await new PostgresReleases(first).TryStartAsync(release, Event(release), CancellationToken.None)).Started);
    }

    [Fact]
    public async Task Migrating_an_up_to_date_database_applies_nothing()
    {
        var database = NewDatabase();

        Assert.Equal(PostgresSchema.Scripts.Count, await database.MigrateAsync(CancellationToken.None));
        Assert.Equal(0, await database.MigrateAsync(CancellationToken.None));
        Assert.Equal(0, await NewDatabase().MigrateAsync(CancellationToken.None));
        Assert.Equal(PostgresSchema.Scripts.Select(s => s.Version), await AppliedVersionsAsync());
    }

    [Fact]
    public async Task The_event_log_refuses_truncate_as_well_as_update_and_delete()
    {
        await NewDatabase().MigrateAsync(CancellationToken.None);

        var refused = await Assert.ThrowsAsync<PostgresException>(() => _database.ExecuteAsync("TRUNCATE events"));

        Assert.Contains("append-only", refused.MessageText, StringComparison.Ordinal);
    }

    private PostgresDatabase NewDatabase()
    {
        var database = new PostgresDatabase(PostgresConnectionString.DataSource(_database.ConnectionString));
        _databases.Add(database);
        return database;
    }

    private static Core.Store.AuditEvent Event(Release release) =>
        new(null, release.Environment, release.Requester, "started", null, "Requested", "", release.CreatedAt);

    private async Task<List<int>> AppliedVersionsAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM schema_migrations ORDER BY version", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
            versions.Add(reader.GetInt32(0));
        return versions;
    }
}
