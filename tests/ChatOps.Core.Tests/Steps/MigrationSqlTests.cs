using ChatOps.Core.Steps;

namespace ChatOps.Core.Tests.Steps;

/// <summary>Each revision's verdict from the SQL Alembic prints offline: additive only when every statement is known to be.</summary>
public sealed class MigrationSqlTests
{
    private static RevisionVerdict JudgeOne(string statement) =>
        MigrationSql.Judge($"BEGIN;\n\n-- Running upgrade aaa -> bbb\n\n{statement}\n\nUPDATE alembic_version SET version_num='bbb' WHERE alembic_version.version_num = 'aaa';\n\nCOMMIT;\n")["bbb"];

    [Theory]
    [InlineData("CREATE TABLE artifacts (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n);")]
    [InlineData("CREATE INDEX ix_runs_status ON runs (status);")]
    [InlineData("CREATE UNIQUE INDEX ix_runs_run_id ON runs (run_id);")]
    [InlineData("ALTER TABLE runs ADD COLUMN note TEXT;")]
    [InlineData("ALTER TABLE runs ADD COLUMN priority INTEGER DEFAULT '0' NOT NULL;")]
    [InlineData("ALTER TABLE artifacts ADD CONSTRAINT fk_run FOREIGN KEY(run_id) REFERENCES runs (id);")]
    [InlineData("COMMENT ON TABLE runs IS 'one per request';")]
    [InlineData("INSERT INTO kinds (name) VALUES ('video');")]
    [InlineData("-- nothing but a comment")]
    public void A_revision_that_only_adds_is_additive(string statement) =>
        Assert.Equal(new RevisionVerdict(MigrationVerdict.Additive, null), JudgeOne(statement));

    [Theory]
    [InlineData("DROP TABLE webhook_events;", "drops table webhook_events")]
    [InlineData("ALTER TABLE webhook_events DROP COLUMN payload;", "drops column webhook_events.payload")]
    [InlineData("ALTER TABLE runs RENAME COLUMN status TO state;", "renames in runs")]
    [InlineData("ALTER TABLE runs ALTER COLUMN status TYPE VARCHAR(64);", "changes the type of runs.status")]
    [InlineData("ALTER TABLE runs ALTER COLUMN status SET NOT NULL;", "makes runs.status NOT NULL")]
    [InlineData("ALTER TABLE runs ADD COLUMN owner TEXT NOT NULL;", "adds NOT NULL column runs.owner without a default")]
    [InlineData("UPDATE runs SET status='done' WHERE status='finished';", "changes rows of runs")]
    [InlineData("DELETE FROM webhook_events WHERE received_at < now();", "deletes rows of webhook_events")]
    [InlineData("TRUNCATE TABLE webhook_events;", "empties webhook_events")]
    [InlineData("CALL migrate_everything();", "not known to be additive: CALL migrate_everything()")]
    public void A_revision_that_drops_renames_narrows_or_rewrites_is_destructive_and_says_why(string statement, string why) =>
        Assert.Equal(new RevisionVerdict(MigrationVerdict.Destructive, why), JudgeOne(statement));

    [Fact]
    public void Each_revision_is_judged_by_its_own_statements()
    {
        const string sql = """
            BEGIN;

            CREATE TABLE alembic_version (
                version_num VARCHAR(32) NOT NULL,
                CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)
            );

            -- Running upgrade  -> 1a2b

            CREATE TABLE runs (id SERIAL NOT NULL, PRIMARY KEY (id));

            INSERT INTO alembic_version (version_num) VALUES ('1a2b') RETURNING alembic_version.version_num;

            -- Running upgrade 1a2b -> 2b3c

            ALTER TABLE runs DROP COLUMN legacy;

            UPDATE alembic_version SET version_num='2b3c' WHERE alembic_version.version_num = '1a2b';

            COMMIT;
            """;

        var verdicts = MigrationSql.Judge(sql);

        Assert.Equal(MigrationVerdict.Additive, verdicts["1a2b"].Verdict);
        Assert.Equal(new RevisionVerdict(MigrationVerdict.Destructive, "drops column runs.legacy"), verdicts["2b3c"]);
    }

    [Fact]
    public void The_lines_worth_a_glance_are_the_statements_one_a_line_without_alembics_bookkeeping() =>
        Assert.Equal(["CREATE TABLE artifacts ( id SERIAL NOT NULL, PRIMARY KEY (id) );", "CREATE INDEX ix_runs_status ON runs (status);"],
            MigrationSql.Lines("BEGIN;\n\n-- Running upgrade a -> b\n\nCREATE TABLE artifacts (\n    id SERIAL NOT NULL, \n    PRIMARY KEY (id)\n);\n\nCREATE INDEX ix_runs_status ON runs (status);\n\nUPDATE alembic_version SET version_num='b' WHERE alembic_version.version_num = 'a';\n\nCOMMIT;\n"));
}
