namespace ChatOps.Host.Store.Sqlite;

// SQLite has no instant type; the embedded store keeps instants as Unix milliseconds.
internal static class SqliteTime
{
    public static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static DateTimeOffset At(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
