namespace ChatOps.Sandbox.Tests;

public sealed class AlembicTests : SandboxFixture
{
    private const string Info = "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\nINFO  [alembic.runtime.migration] Will assume transactional DDL.\n";

    private SimulatedAlembic Alembic => Sandbox.Fly.Alembic;

    [Fact]
    public void History_lists_revisions_newest_first_with_base_and_head_markers()
    {
        var r = Alembic.Revisions;

        var result = Alembic.Run(["alembic", "history"]);

        Assert.Equal(
            $"{r[1]} -> {r[2]} (head), create webhook_events\n{r[0]} -> {r[1]}, create artifacts\n<base> -> {r[0]}, create runs\n",
            result.Stdout);
        Assert.All(r, id => Assert.Matches("^[0-9a-f]{12}$", id));
    }

    [Fact]
    public void Current_starts_at_the_first_revision_and_marks_head_after_upgrade()
    {
        var r = Alembic.Revisions;

        var before = Alembic.Run(["alembic", "current"]);
        var upgrade = Alembic.Run(["sh", "-c", "alembic upgrade head"]);
        var after = Alembic.Run(["alembic current"]);

        Assert.Equal($"{r[0]}\n", before.Stdout);
        Assert.Equal(Info, before.Stderr);
        Assert.Equal(0, upgrade.ExitCode);
        Assert.Equal(
            Info + $"INFO  [alembic.runtime.migration] Running upgrade {r[0]} -> {r[1]}, create artifacts\n" +
            $"INFO  [alembic.runtime.migration] Running upgrade {r[1]} -> {r[2]}, create webhook_events\n",
            upgrade.Stderr);
        Assert.Equal($"{r[2]} (head)\n", after.Stdout);
        Assert.Equal($"{r[2]} (head)\n", Alembic.Run(["alembic", "heads"]).Stdout);
    }

    [Fact]
    public void A_new_revision_becomes_the_head_and_is_pending()
    {
        Alembic.Run(["alembic", "upgrade", "head"]);
        var added = Alembic.AddRevision("add run index");

        var upgrade = Alembic.Run(["alembic", "upgrade", "head"]);

        Assert.Equal(added, Alembic.Head);
        Assert.EndsWith($"-> {added}, add run index\n", upgrade.Stderr);
        Assert.Equal(added, Alembic.Current);
    }

    [Fact]
    public void Unknown_commands_exit_127_like_a_shell()
    {
        var result = Alembic.Run(["flask", "db", "upgrade"]);

        Assert.Equal(127, result.ExitCode);
        Assert.Equal("sh: 1: flask: not found\n", result.Stderr);
    }
}
