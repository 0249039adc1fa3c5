using Npgsql;

namespace ChatOps.Host.TargetDatabase;

/// <summary>
/// The target database's address, read from a <c>postgres://user:pass@host:port/db</c> URL or a key=value
/// string. The password goes to child processes through <c>PGPASSWORD</c>, never on a command line.
/// </summary>
public sealed record TargetConnection(string Host, int Port, string User, string Password, string Database, string? SslMode)
{
    public static TargetConnection Parse(string value)
    {
        value = value.Trim();
        if (value.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || value.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
            return FromUrl(new Uri(value));
        if (value.Contains(';', StringComparison.Ordinal))
        {
            var npgsql = new NpgsqlConnectionStringBuilder(value);
            return new TargetConnection(npgsql.Host ?? "localhost", npgsql.Port, npgsql.Username ?? "postgres", npgsql.Password ?? "", npgsql.Database ?? "postgres",
                npgsql.SslMode == Npgsql.SslMode.Prefer ? null : npgsql.SslMode.ToString().ToLowerInvariant());
        }
        var pairs = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim().ToLowerInvariant(), p => p[1].Trim().Trim('\''));
        if (pairs.Count == 0)
            throw new FormatException("DatabaseUrl must be a postgres:// URL or key=value pairs (host=… dbname=… user=…).");
        return new TargetConnection(
            pairs.GetValueOrDefault("host", "localhost"),
            int.Parse(pairs.GetValueOrDefault("port", "5432"), System.Globalization.CultureInfo.InvariantCulture),
            pairs.GetValueOrDefault("user", "postgres"),
            pairs.GetValueOrDefault("password", ""),
            pairs.GetValueOrDefault("dbname", "postgres"),
            pairs.GetValueOrDefault("sslmode"));
    }

    private static TargetConnection FromUrl(Uri url)
    {
        var userInfo = url.UserInfo.Split(':', 2);
        var query = url.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => Uri.UnescapeDataString(p[0]).ToLowerInvariant(), p => Uri.UnescapeDataString(p[1]));
        return new TargetConnection(
            url.Host,
            url.IsDefaultPort || url.Port < 0 ? 5432 : url.Port,
            Uri.UnescapeDataString(userInfo[0]),
            userInfo.Length > 1 ? Uri.UnescapeDataString(userInfo[1]) : "",
            url.AbsolutePath.Trim('/') is { Length: > 0 } db ? Uri.UnescapeDataString(db) : "postgres",
            query.GetValueOrDefault("sslmode"));
    }

    public string ToNpgsql()
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = Host, Port = Port, Username = User, Password = Password, Database = Database, Timeout = 15 };
        if (SslMode is not null && Enum.TryParse<Npgsql.SslMode>(SslMode.Replace("-", "", StringComparison.Ordinal), ignoreCase: true, out var mode))
            builder.SslMode = mode;
        return builder.ConnectionString;
    }

    /// <summary>The same address as a URL, for tools that want one (SQLAlchemy, Alembic's env.py).</summary>
    public string ToUrl() =>
        $"postgresql://{Uri.EscapeDataString(User)}:{Uri.EscapeDataString(Password)}@{Host}:{Port}/{Uri.EscapeDataString(Database)}"
        + (SslMode is null ? "" : $"?sslmode={SslMode}");

    /// <summary>libpq's environment for pg_dump and psql: everything but the password stays off the command line too.</summary>
    public IReadOnlyDictionary<string, string> ToEnvironment()
    {
        var env = new Dictionary<string, string>
        {
            ["PGHOST"] = Host,
            ["PGPORT"] = Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PGUSER"] = User,
            ["PGPASSWORD"] = Password,
            ["PGDATABASE"] = Database,
            ["PGCONNECT_TIMEOUT"] = "15",
        };
        if (SslMode is not null)
            env["PGSSLMODE"] = SslMode;
        return env;
    }

    /// <summary>Removes the password from text that a tool printed, before it reaches a log or a chat.</summary>
    public string Scrub(string text) => Password.Length == 0 ? text : text.Replace(Password, "***", StringComparison.Ordinal);

    public override string ToString() => $"{User}@{Host}:{Port}/{Database}";
}
