using Npgsql;

namespace ChatOps.Host.Store.Postgres;

/// <summary>Commands with positional <c>$1</c> parameters, and the few reads the Postgres store repeats.</summary>
internal static class PostgresCommands
{
    /// <summary>A command on a pooled connection of its own, for statements that need no transaction around them.</summary>
    public static NpgsqlCommand Command(this NpgsqlDataSource dataSource, string sql, params object?[] args) =>
        WithParameters(dataSource.CreateCommand(sql), args);

    /// <summary>A command on an open connection; it runs in the connection's transaction, if any (Npgsql has one per connection).</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, params object?[] args) =>
        WithParameters(new NpgsqlCommand(sql, connection), args);

    public static NpgsqlBatchCommand BatchCommand(string sql, params object?[] args)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var arg in args)
            command.Parameters.Add(Parameter(arg));
        return command;
    }

    public static async Task<List<T>> ReadAllAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<T>();
        while (await reader.ReadAsync(cancellationToken))
            rows.Add(read(reader));
        return rows;
    }

    public static async Task<T?> ReadFirstAsync<T>(this NpgsqlCommand command, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
        where T : class
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? read(reader) : null;
    }

    public static string? NullableString(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static long? NullableLong(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);

    public static DateTimeOffset Time(this NpgsqlDataReader reader, int ordinal) =>
        reader.GetFieldValue<DateTimeOffset>(ordinal);

    public static DateTimeOffset? NullableTime(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetFieldValue<DateTimeOffset>(ordinal);

    private static NpgsqlCommand WithParameters(NpgsqlCommand command, object?[] args)
    {
        foreach (var arg in args)
            command.Parameters.Add(Parameter(arg));
        return command;
    }

    // Npgsql writes only UTC DateTimeOffsets to timestamptz; the instant is what is stored either way.
    private static NpgsqlParameter Parameter(object? value) => new()
    {
        Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset at => at.ToUniversalTime(),
            _ => value,
        },
    };
}
