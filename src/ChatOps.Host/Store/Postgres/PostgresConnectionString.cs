using Npgsql;

namespace ChatOps.Host.Store.Postgres;

/// <summary>
/// The bot's own database address, as <c>ConnectionStrings:ChatOps</c> holds it: a <c>postgres://user:pass@host:port/db?sslmode=…</c>
/// URL (how Fly sets <c>DATABASE_URL</c>) or an Npgsql key=value string. Errors name the part that is wrong, never the password.
/// </summary>
public static class PostgresConnectionString
{
    public static string ToNpgsql(string value)
    {
        value = value.Trim();
        if (!IsUrl(value))
            return new NpgsqlConnectionStringBuilder(value).ConnectionString;

        if (!Uri.TryCreate(value, UriKind.Absolute, out var url) || url.Host.Length == 0)
            throw new FormatException("ConnectionStrings:ChatOps is not a valid postgres://user:password@host:port/database URL.");
        var user = url.UserInfo.Split(':', 2);
        var builder = new NpgsqlConnectionStringBuilder
        {
            // IPv6 hosts come bracketed from Uri; Npgsql wants them bare.
            Host = url.Host.Trim('[', ']'),
            Port = url.Port > 0 ? url.Port : 5432,
            Database = url.AbsolutePath.Trim('/') is { Length: > 0 } database ? Uri.UnescapeDataString(database) : null,
            Username = user[0].Length > 0 ? Uri.UnescapeDataString(user[0]) : null,
            Password = user.Length > 1 ? Uri.UnescapeDataString(user[1]) : null,
        };
        foreach (var (key, setting) in QueryPairs(url))
            Apply(builder, key, setting);
        return builder.ConnectionString;
    }

    /// <summary>The one pooled data source of the process for the bot's own database.</summary>
    public static NpgsqlDataSource DataSource(string value) => Builder(value).Build();

    /// <summary>
    /// A second data source for single statements without session state or transaction (the processed-update log):
    /// Npgsql multiplexing writes many callers' statements on a few shared connections, so a burst of chat updates
    /// costs the server a handful of round trips instead of one each. Never used for transactions, advisory locks or
    /// anything else that needs one connection for more than one statement. Null when the connection string turns
    /// pooling off, which multiplexing needs: those statements then go through <see cref="DataSource"/>.
    /// </summary>
    public static NpgsqlDataSource? Multiplexed(string value)
    {
        var builder = Builder(value);
        if (!builder.ConnectionStringBuilder.Pooling)
            return null;
        builder.ConnectionStringBuilder.Multiplexing = true;
        builder.ConnectionStringBuilder.MaxPoolSize = Math.Min(builder.ConnectionStringBuilder.MaxPoolSize, MultiplexedConnections);
        return builder.Build();
    }

    private static NpgsqlDataSourceBuilder Builder(string value)
    {
        var builder = new NpgsqlDataSourceBuilder(ToNpgsql(value));
        builder.ConnectionStringBuilder.ApplicationName ??= "chatops";
        // The store runs a couple of dozen fixed statements; preparing them spares the server a parse and plan per
        // call. A connection string that names "Max Auto Prepare" (0 behind a transaction-mode PgBouncer) wins.
        if (!value.Contains("auto prepare", StringComparison.OrdinalIgnoreCase) && !value.Contains("max_auto_prepare", StringComparison.OrdinalIgnoreCase))
            builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        return builder;
    }

    // Enough to keep a few statements in flight while others are written; each is a server process.
    private const int MultiplexedConnections = 4;

    private static bool IsUrl(string value) =>
        value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static IEnumerable<(string Key, string Value)> QueryPairs(Uri url) =>
        url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => (Uri.UnescapeDataString(pair[0]).ToLowerInvariant(), pair.Length > 1 ? Uri.UnescapeDataString(pair[1]) : ""));

    // libpq's URL parameters where they differ from Npgsql's keywords; anything else must be an Npgsql keyword.
    private static void Apply(NpgsqlConnectionStringBuilder builder, string key, string value)
    {
        switch (key)
        {
            case "sslmode":
                builder.SslMode = Enum.TryParse<SslMode>(value.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode)
                    ? mode
                    : throw new FormatException($"ConnectionStrings:ChatOps has an unknown sslmode '{value}'.");
                break;
            case "connect_timeout":
                builder.Timeout = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture);
                break;
            case "application_name":
                builder.ApplicationName = value;
                break;
            default:
                try
                {
                    builder[key] = value;
                }
                catch (ArgumentException)
                {
                    throw new FormatException($"ConnectionStrings:ChatOps has a URL parameter Npgsql does not know: '{key}'.");
                }
                break;
        }
    }
}
