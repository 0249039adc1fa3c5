namespace ChatOps.Sandbox;

// A revision file of the target app: its id, message, the release tag whose image first holds it (null: not yet
// released) and the SQL its upgrade runs, as `--sql` prints it.
public sealed record AlembicRevision(string Id, string Message, string? Since, string Sql)
{
    // What op.create_table / op.create_index / op.drop_table render on Postgres for the sandbox's tiny tables.
    public static string SqlFor(string message)
    {
        var words = message.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return words switch
        {
            ["create", var table] => $"CREATE TABLE {table} (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n);",
            ["add", "index", "on", var column] when column.Split('.') is [var t, var c] => $"CREATE INDEX ix_{t}_{c} ON {t} ({c});",
            ["drop", var table] => $"DROP TABLE {table};",
            _ => $"-- {message}",
        };
    }
}
