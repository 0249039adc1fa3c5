namespace ChatOps.Sandbox;

internal static class AlembicTraceback
{
    // The tail of what a failed `alembic upgrade` prints when a table already exists.
    public const string DuplicateTable = """
        Traceback (most recent call last):
          File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/base.py", line 1967, in _exec_single_context
            self.dialect.do_execute(
          File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py", line 941, in do_execute
            cursor.execute(statement, parameters)
        psycopg2.errors.DuplicateTable: relation "runs" already exists


        The above exception was the direct cause of the following exception:

        Traceback (most recent call last):
          File "/usr/local/bin/alembic", line 8, in <module>
            sys.exit(main())
                     ^^^^^^
          File "/usr/local/lib/python3.12/site-packages/alembic/config.py", line 636, in main
            CommandLine(prog=prog).main(argv=argv)
          File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/default.py", line 941, in do_execute
            cursor.execute(statement, parameters)
        sqlalchemy.exc.ProgrammingError: (psycopg2.errors.DuplicateTable) relation "runs" already exists
        [SQL: CREATE TABLE runs (id UUID NOT NULL, status VARCHAR(32) NOT NULL, PRIMARY KEY (id))]
        (Background on this error at: https://sqlalche.me/e/20/f405)

        """;

    // `--sql` against an env.py written for online migrations only: offline it asks alembic.ini for a URL it never had.
    public const string OfflineUnavailable = """
        Traceback (most recent call last):
          File "/usr/local/bin/alembic", line 8, in <module>
            sys.exit(main())
                     ^^^^^^
          File "/usr/local/lib/python3.12/site-packages/alembic/config.py", line 636, in main
            CommandLine(prog=prog).main(argv=argv)
          File "/usr/local/lib/python3.12/site-packages/alembic/command.py", line 406, in upgrade
            script.run_env()
          File "/app/migrations/env.py", line 41, in run_migrations_offline
            context.configure(
          File "/usr/local/lib/python3.12/site-packages/sqlalchemy/engine/url.py", line 906, in _parse_url
            raise exc.ArgumentError(
        sqlalchemy.exc.ArgumentError: Could not parse SQLAlchemy URL from string ''

        """;
}
