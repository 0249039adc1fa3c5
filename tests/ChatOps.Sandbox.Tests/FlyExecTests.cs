using System.Net;

namespace ChatOps.Sandbox.Tests;

public sealed class FlyExecTests : SandboxFixture
{
    private const string App = "myloware-api";

    private Task<HttpResponseMessage> Exec(object body) =>
        Fly.PostAsync($"apps/{App}/machines/{Sandbox.Fly.Machines(App)[0].Id}/exec", Body(body));

    // The seeded machines run the initial release, whose image holds only the first revision: the pending ones
    // come with v0.2.0.
    private async Task DeployAsync(string tag)
    {
        var machine = Sandbox.Fly.Machines(App)[0];
        var config = machine.Config;
        config["image"] = $"registry.fly.io/{App}:{tag}";
        var updated = await Json(Fly.PostAsync($"apps/{App}/machines/{machine.Id}", Body(new { config })));
        using var wait = await Fly.GetAsync($"apps/{App}/machines/{machine.Id}/wait?state=started&timeout=10&instance_id={updated["instance_id"]}");
        Assert.Equal(HttpStatusCode.OK, wait.StatusCode);
    }

    [Fact]
    public async Task A_successful_exec_omits_exit_code_and_applies_pending_migrations()
    {
        await DeployAsync("v0.2.0");

        using var response = await Exec(new { command = new[] { "alembic", "upgrade", "head" }, timeout = 120 });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await ReadJson(response)).AsObject();
        Assert.False(body.ContainsKey("exit_code"));
        Assert.Contains("Running upgrade", (string)body["stderr"]!);
        Assert.Equal(Sandbox.Fly.Alembic.Head, Sandbox.Fly.Alembic.Current);
        Assert.Equal(1, Sandbox.Mutations.Count("fly.exec:alembic upgrade head"));
    }

    [Fact]
    public async Task A_failing_migration_exits_1_with_a_traceback_and_applies_nothing()
    {
        await DeployAsync("v0.2.0");
        Sandbox.Faults.FailMigration = true;
        var before = Sandbox.Fly.Alembic.Current;

        var body = await Json(Exec(new { command = new[] { "sh", "-c", "cd /app && alembic upgrade head" } }));

        Assert.Equal(1, (int)body["exit_code"]!);
        Assert.Contains("sqlalchemy.exc.ProgrammingError: (psycopg2.errors.DuplicateTable) relation \"runs\" already exists", (string)body["stderr"]!);
        Assert.Equal(before, Sandbox.Fly.Alembic.Current);
    }

    [Fact]
    public async Task Read_only_commands_are_not_recorded_as_mutations()
    {
        var current = await Json(Exec(new { cmd = "alembic current" }));
        var missing = await Json(Exec(new { command = new[] { "rake", "db:migrate" } }));

        Assert.Equal(Sandbox.Fly.Alembic.Current + " (head)\n", (string?)current["stdout"]);
        Assert.Equal(127, (int)missing["exit_code"]!);
        Assert.Equal("sh: 1: rake: not found\n", (string?)missing["stderr"]);
        Assert.Equal(0, Sandbox.Mutations.Count("fly.exec:"));
    }

    [Fact]
    public async Task The_exec_handler_can_be_replaced_by_a_test()
    {
        Sandbox.Fly.ExecHandler = (request, _) => Task.FromResult(new FlyExecResult(3, "out", $"{request.App} {request.Command[0]}"));

        var body = await Json(Exec(new { command = new[] { "true" } }));

        Assert.Equal(3, (int)body["exit_code"]!);
        Assert.Equal("myloware-api true", (string?)body["stderr"]);
    }
}
