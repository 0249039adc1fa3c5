using System.Text;

namespace ChatOps.Sandbox;

// `alembic upgrade [<from>:]<to> --sql`, as Alembic 1.8 prints it for Postgres (checked against python3-alembic):
// the SQL on stdout, the log on stderr, nothing applied.
internal static class AlembicOffline
{
    public const string Context =
        "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n" +
        "INFO  [alembic.runtime.migration] Generating static SQL\n" +
        "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n";

    private const string VersionTable =
        "CREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n";

    // `revisions` are the ones to run, in order; `from` is null when starting from base.
    public static FlyExecResult Render(string? from, IReadOnlyList<AlembicRevision> revisions)
    {
        var sql = new StringBuilder("BEGIN;\n\n");
        var log = new StringBuilder(Context);
        if (from is null)
        {
            sql.Append(VersionTable);
        }

        var previous = from;
        foreach (var revision in revisions)
        {
            log.Append($"INFO  [alembic.runtime.migration] Running upgrade {previous} -> {revision.Id}, {revision.Message}\n");
            sql.Append($"-- Running upgrade {previous} -> {revision.Id}\n\n{revision.Sql}\n\n");
            sql.Append(previous is null
                ? $"INSERT INTO alembic_version (version_num) VALUES ('{revision.Id}') RETURNING alembic_version.version_num;\n\n"
                : $"UPDATE alembic_version SET version_num='{revision.Id}' WHERE alembic_version.version_num = '{previous}';\n\n");
            previous = revision.Id;
        }

        sql.Append("COMMIT;\n\n");
        return new FlyExecResult(0, sql.ToString(), log.ToString());
    }
}
