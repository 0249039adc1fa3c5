using System.Globalization;
using Npgsql;

namespace ChatOps.Host.Store.Postgres;

/// <summary>
/// The Postgres store's schema: the numbered scripts in <c>Store/Postgres/Sql</c>, embedded in the assembly, each applied once
/// and recorded in <c>schema_migrations</c>. All of it runs in one transaction under an advisory lock, so a second
/// instance starting at the same moment waits, then finds the work done.
/// </summary>
internal static class PostgresSchema
{
    // Any constant that every ChatOps instance shares; its bytes spell "ChatOps" and a 1.
    private const long MigrationLock = 0x436861744F707301;
    private const string ResourcePrefix = "ChatOps.Host.Store.Sql.";

    private const string TakeLock = "SELECT pg_advisory_xact_lock($1)";
    private const string CreateHistory = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version INT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now())
        """;
    private const string SelectApplied = "SELECT version FROM schema_migrations";
    private const string InsertApplied = "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)";

    public sealed record Script(int Version, string Name, string Sql);

    public static IReadOnlyList<Script> Scripts { get; } = Load();

    /// <summary>Applies the scripts the database has not seen; returns how many.</summary>
    public static async Task<int> MigrateAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Released by the commit or rollback, so a crash mid-migration cannot leave it held.
        await using (var take = connection.Command(TakeLock, MigrationLock))
            await take.ExecuteNonQueryAsync(cancellationToken);
        await using (var create = connection.Command(CreateHistory))
            await create.ExecuteNonQueryAsync(cancellationToken);
        await using var select = connection.Command(SelectApplied);
        var applied = (await select.ReadAllAsync(r => r.GetInt32(0), cancellationToken)).ToHashSet();

        // A version the database has and this build lacks belongs to a newer bot; scripts only add, so carry on.
        var pending = Scripts.Where(s => !applied.Contains(s.Version)).ToList();
        foreach (var script in pending)
        {
            await using (var run = connection.Command(script.Sql))
                await run.ExecuteNonQueryAsync(cancellationToken);
            await using var record = connection.Command(InsertApplied, script.Version, script.Name);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return pending.Count;
    }

    private static List<Script> Load()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var scripts = assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal) && name.EndsWith(".sql", StringComparison.Ordinal))
            .Select(name =>
            {
                var file = name[ResourcePrefix.Length..^".sql".Length];
                var digits = new string(file.TakeWhile(char.IsAsciiDigit).ToArray());
                if (digits.Length == 0)
                    throw new InvalidOperationException($"Schema script {file}.sql must start with its version number.");
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return new Script(int.Parse(digits, CultureInfo.InvariantCulture), file, reader.ReadToEnd());
            })
            .OrderBy(s => s.Version)
            .ToList();
        if (scripts.Count == 0)
            throw new InvalidOperationException("No schema scripts are embedded; Store/Postgres/Sql/*.sql must be EmbeddedResource items.");
        var repeated = scripts.GroupBy(s => s.Version).FirstOrDefault(g => g.Count() > 1);
        if (repeated is not null)
            throw new InvalidOperationException($"Two schema scripts have version {repeated.Key}: {string.Join(", ", repeated.Select(s => s.Name))}.");
        return scripts;
    }
}
