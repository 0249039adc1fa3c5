using ChatOps.Host.Sandbox;
using ChatOps.Sandbox;

namespace ChatOps.IntegrationTests.Database;

/// <summary>
/// The target app's real Alembic run as a given release's image holds it. Offline (`--sql`) and `heads` need only a
/// URL, so no database is reached: the URL names a port nothing listens on.
/// </summary>
public sealed class RealAlembicImageTests
{
    private const string Url = "postgresql://chatops:secret@127.0.0.1:9/target";

    private static readonly RealAlembic Alembic = new(RealAlembic.DefaultProject, Url, RealAlembic.DefaultPython);

    private static Task<FlyExecResult> RunAsync(string tag, params string[] command) =>
        Alembic.RunAsync(new FlyExecRequest("myloware-api", "m", command, 60, tag.Length == 0 ? "" : $"registry.fly.io/myloware-api:{tag}"), CancellationToken.None);

    [Theory]
    [InlineData("v0.1.0", "1a2b3c4d5e6f")]
    [InlineData("v0.2.0", "4d5e6f7a8b9c")]
    [InlineData("v0.2.1", "4d5e6f7a8b9c")]
    [InlineData("v0.3.0", "5e6f7a8b9c0d")]
    [InlineData("deployment-01J9Z4Q6WQ8X3M2C7R5T1V0B9N", "5e6f7a8b9c0d")]
    [InlineData("", "5e6f7a8b9c0d")]
    public async Task Each_image_sees_the_head_of_its_own_release(string tag, string head)
    {
        var result = await RunAsync(tag, "alembic", "heads");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal($"{head} (head)\n", result.Stdout);
    }

    [Fact]
    public async Task Offline_sql_prints_the_image_s_pending_upgrades_in_the_format_the_simulator_prints()
    {
        var result = await RunAsync("v0.2.0", "sh", "-c", "cd /app && alembic upgrade 2b3c4d5e6f7a:head --sql");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.StartsWith("BEGIN;\n\n-- Running upgrade 2b3c4d5e6f7a -> 3c4d5e6f7a8b\n\nCREATE TABLE webhook_events (\n    id SERIAL NOT NULL, \n", result.Stdout);
        Assert.Contains(
            ");\n\nUPDATE alembic_version SET version_num='3c4d5e6f7a8b' WHERE alembic_version.version_num = '2b3c4d5e6f7a';\n\n" +
            "-- Running upgrade 3c4d5e6f7a8b -> 4d5e6f7a8b9c\n\nALTER TABLE runs ADD COLUMN priority INTEGER DEFAULT '0' NOT NULL;\n\n",
            result.Stdout);
        Assert.EndsWith("UPDATE alembic_version SET version_num='4d5e6f7a8b9c' WHERE alembic_version.version_num = '3c4d5e6f7a8b';\n\nCOMMIT;\n\n", result.Stdout);
        Assert.DoesNotContain("5e6f7a8b9c0d", result.Stdout);
        Assert.Equal(
            "INFO  [alembic.runtime.migration] Context impl PostgresqlImpl.\n" +
            "INFO  [alembic.runtime.migration] Generating static SQL\n" +
            "INFO  [alembic.runtime.migration] Will assume transactional DDL.\n" +
            "INFO  [alembic.runtime.migration] Running upgrade 2b3c4d5e6f7a -> 3c4d5e6f7a8b, create webhook_events\n" +
            "INFO  [alembic.runtime.migration] Running upgrade 3c4d5e6f7a8b -> 4d5e6f7a8b9c, add runs.priority\n",
            result.Stderr);
    }

    [Fact]
    public async Task Offline_sql_from_base_and_the_destructive_revision_of_a_later_image()
    {
        var fromBase = await RunAsync("v0.1.0", "alembic", "upgrade", "1a2b3c4d5e6f", "--sql");
        var destructive = await RunAsync("v0.3.0", "alembic", "upgrade", "4d5e6f7a8b9c:head", "--sql");
        var older = await RunAsync("v0.2.0", "alembic", "upgrade", "4d5e6f7a8b9c:5e6f7a8b9c0d", "--sql");

        Assert.StartsWith("BEGIN;\n\nCREATE TABLE alembic_version (\n    version_num VARCHAR(32) NOT NULL, \n    CONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n);\n\n-- Running upgrade  -> 1a2b3c4d5e6f\n\n", fromBase.Stdout);
        Assert.EndsWith("INSERT INTO alembic_version (version_num) VALUES ('1a2b3c4d5e6f') RETURNING alembic_version.version_num;\n\nCOMMIT;\n\n", fromBase.Stdout);
        Assert.Contains("\nALTER TABLE webhook_events DROP COLUMN payload;\n", destructive.Stdout);
        Assert.Equal(255, older.ExitCode);
        Assert.Equal("BEGIN;\n\nFAILED: Can't locate revision identified by '5e6f7a8b9c0d'\n", older.Stdout);
        Assert.EndsWith("ERROR [alembic.util.messaging] Can't locate revision identified by '5e6f7a8b9c0d'\n", older.Stderr);
    }

    [Fact]
    public async Task A_chain_runs_its_steps_and_concurrent_calls_share_one_copy_per_image()
    {
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            RunAsync("v0.2.1", "sh", "-c", "cd /app && echo heads: && alembic heads && echo done; echo always")));
        var stopped = await RunAsync("v0.2.1", "sh", "-c", "alembic upgrade nope --sql && echo never");

        Assert.All(runs, r => Assert.Equal("heads:\n4d5e6f7a8b9c (head)\ndone\nalways\n", r.Stdout));
        Assert.Equal(255, stopped.ExitCode);
        Assert.DoesNotContain("never", stopped.Stdout);
    }
}
