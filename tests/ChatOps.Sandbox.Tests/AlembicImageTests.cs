namespace ChatOps.Sandbox.Tests;

// Each image holds the revision files of its release; the database is one.
public sealed class AlembicImageTests : SandboxFixture
{
    private const string Context = "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\n";
    private const string V010 = "registry.fly.io/myloware-api:v0.1.0";
    private const string V020 = "registry.fly.io/myloware-api:v0.2.0";
    private const string V120 = "registry.fly.io/myloware-api:v1.2.0";

    private SimulatedAlembic Alembic => Sandbox.Fly.Alembic;

    [Fact]
    public void Heads_and_history_list_only_the_revisions_the_image_holds()
    {
        var r = Alembic.Revisions;
        var added = Alembic.AddRevision("add index on runs.status", since: "v1.2.0");

        Assert.Equal($"{r[0]} (head)\n", Alembic.Run(["alembic", "heads"], V010).Stdout);
        Assert.Equal($"<base> -> {r[0]} (head), create runs\n", Alembic.Run(["alembic", "history"], V010).Stdout);
        Assert.Equal($"{r[2]} (head)\n", Alembic.Run(["alembic", "heads"], V020).Stdout);
        Assert.Equal($"{added} (head)\n", Alembic.Run(["alembic", "heads"], V120).Stdout);
        Assert.Equal(r[2], Alembic.HeadOf(V020));
        Assert.Equal(added, Alembic.HeadOf(V120));
        Assert.Equal(added, Alembic.Head);
    }

    [Fact]
    public void Tags_compare_as_versions_and_an_unplaceable_image_holds_everything()
    {
        var added = Alembic.AddRevision("create audit", since: "v1.10.0");

        Assert.NotEqual(added, Alembic.HeadOf("registry.fly.io/myloware-api:v1.9.0"));
        Assert.Equal(added, Alembic.HeadOf("registry.fly.io/myloware-api:v1.10.0"));
        Assert.Equal(added, Alembic.HeadOf("registry.fly.io/myloware-api:deployment-01J9Z4Q6WQ8X3M2C7R5T1V0B9N"));
        Assert.Equal(added, Alembic.HeadOf("registry.fly.io/myloware-api@sha256:" + new string('2', 64)));
    }

    [Fact]
    public void An_image_upgrades_only_to_its_own_head()
    {
        var r = Alembic.Revisions;
        var added = Alembic.AddRevision("create audit", since: "v1.2.0");

        var upgrade = Alembic.Run(["alembic", "upgrade", "head"], V020);

        Assert.Equal(0, upgrade.ExitCode);
        Assert.Equal(r[2], Alembic.Current);
        Assert.DoesNotContain(added, upgrade.Stderr);
        Assert.Equal($"{r[2]}\n", Alembic.Run(["alembic", "current"], V120).Stdout);
        Assert.Equal($"{r[2]} (head)\n", Alembic.Run(["alembic", "current"], V020).Stdout);
    }

    [Fact]
    public void An_older_image_cannot_locate_the_revision_the_database_is_at()
    {
        Alembic.Run(["alembic", "upgrade", "head"], V020);
        var at = Alembic.Current!;

        var current = Alembic.Run(["alembic", "current"], V010);
        var upgrade = Alembic.Run(["alembic", "upgrade", "head"], V010);

        // Alembic's util.err: sys.exit(-1), the error logged on stderr and FAILED printed on stdout.
        Assert.Equal(255, current.ExitCode);
        Assert.Equal($"FAILED: Can't locate revision identified by '{at}'\n", current.Stdout);
        Assert.Equal(Context + $"ERROR [alembic.util.messaging] Can't locate revision identified by '{at}'\n", current.Stderr);
        Assert.Equal(255, upgrade.ExitCode);
        Assert.Equal(current.Stderr, upgrade.Stderr);
        Assert.Equal(at, Alembic.Current);
    }

    [Fact]
    public void Offline_sql_from_a_revision_prints_each_upgrade_and_applies_nothing()
    {
        var r = Alembic.Revisions;
        var index = Alembic.AddRevision("add index on runs.status", since: "v1.2.0");
        var other = Alembic.AddRevision("backfill statuses", since: "v1.2.0", sql: "UPDATE runs SET status = 'done';");

        var result = Alembic.Run(["sh", "-c", $"cd /app && alembic upgrade {r[0]}:head --sql"], V120);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(
            "BEGIN;\n\n" +
            $"-- Running upgrade {r[0]} -> {r[1]}\n\nCREATE TABLE artifacts (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n);\n\n" +
            $"UPDATE alembic_version SET version_num='{r[1]}' WHERE alembic_version.version_num = '{r[0]}';\n\n" +
            $"-- Running upgrade {r[1]} -> {r[2]}\n\nCREATE TABLE webhook_events (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n);\n\n" +
            $"UPDATE alembic_version SET version_num='{r[2]}' WHERE alembic_version.version_num = '{r[1]}';\n\n" +
            $"-- Running upgrade {r[2]} -> {index}\n\nCREATE INDEX ix_runs_status ON runs (status);\n\n" +
            $"UPDATE alembic_version SET version_num='{index}' WHERE alembic_version.version_num = '{r[2]}';\n\n" +
            $"-- Running upgrade {index} -> {other}\n\nUPDATE runs SET status = 'done';\n\n" +
            $"UPDATE alembic_version SET version_num='{other}' WHERE alembic_version.version_num = '{index}';\n\n" +
            "COMMIT;\n\n",
            result.Stdout);
        Assert.Equal(
            "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n" +
            "INFO  [alembic.runtime.migration] Generating static SQL\n" +
            "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n" +
            $"INFO  [alembic.runtime.migration] Running upgrade {r[0]} -> {r[1]}, create artifacts\n" +
            $"INFO  [alembic.runtime.migration] Running upgrade {r[1]} -> {r[2]}, create webhook_events\n" +
            $"INFO  [alembic.runtime.migration] Running upgrade {r[2]} -> {index}, add index on runs.status\n" +
            $"INFO  [alembic.runtime.migration] Running upgrade {index} -> {other}, backfill statuses\n",
            result.Stderr);
        Assert.Equal(r[0], Alembic.Current);
        Assert.Empty(Alembic.Upgrades);
    }

    [Fact]
    public void Offline_sql_from_base_creates_the_version_table_and_inserts_the_first_revision()
    {
        var r = Alembic.Revisions;
        var dropped = Alembic.AddRevision("drop artifacts", since: "v1.2.0");

        var fromBase = Alembic.Run(["alembic", "upgrade", r[0], "--sql"], V010);
        var drop = Alembic.Run(["alembic", "upgrade", $"{r[2]}:{dropped}", "--sql"], V120);
        var unknown = Alembic.Run(["alembic", "upgrade", $"{r[2]}:{dropped}", "--sql"], V020);

        Assert.Equal(
            "BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n" +
            $"-- Running upgrade  -> {r[0]}\n\nCREATE TABLE runs (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n);\n\n" +
            $"INSERT INTO alembic_version (version_num) VALUES ('{r[0]}') RETURNING alembic_version.version_num;\n\nCOMMIT;\n\n",
            fromBase.Stdout);
        Assert.EndsWith($"Running upgrade  -> {r[0]}, create runs\n", fromBase.Stderr);
        Assert.Contains("\nDROP TABLE artifacts;\n", drop.Stdout);
        Assert.Equal(255, unknown.ExitCode);
        Assert.Equal($"BEGIN;\n\nFAILED: Can't locate revision identified by '{dropped}'\n", unknown.Stdout);
    }

    [Fact]
    public void Offline_sql_fails_with_a_traceback_when_env_py_supports_only_online_mode()
    {
        Alembic.OfflineAvailable = false;

        var result = Alembic.Run(["alembic", "upgrade", "head", "--sql"], V020);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("Traceback (most recent call last):\n", result.Stderr);
        Assert.EndsWith("sqlalchemy.exc.ArgumentError: Could not parse SQLAlchemy URL from string ''\n", result.Stderr);
    }

    [Fact]
    public void A_chain_runs_each_step_in_order_and_stops_at_the_first_failure_after_and()
    {
        var r = Alembic.Revisions;

        var chained = Alembic.Run(["sh", "-c", "cd /app && echo '== current' && alembic current && echo '== heads' && alembic heads"], V020);
        var stopped = Alembic.Run(["sh", "-c", "echo before && alembic upgrade nope && echo after"], V020);
        var goesOn = Alembic.Run(["sh", "-c", "flask db upgrade; echo after"], V020);

        Assert.Equal(0, chained.ExitCode);
        Assert.Equal($"== current\n{r[0]}\n== heads\n{r[2]} (head)\n", chained.Stdout);
        Assert.Equal(Context, chained.Stderr);
        Assert.Equal(255, stopped.ExitCode);
        Assert.Equal("before\nFAILED: Can't locate revision identified by 'nope'\n", stopped.Stdout);
        Assert.Equal(0, goesOn.ExitCode);
        Assert.Equal("after\n", goesOn.Stdout);
        Assert.Equal("sh: 1: flask: not found\n", goesOn.Stderr);
    }
}
