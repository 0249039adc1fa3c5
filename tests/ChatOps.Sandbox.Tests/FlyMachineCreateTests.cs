using System.Net;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox.Tests;

// Reference §12: a temporary machine of the migrations app on the release's image.
public sealed class FlyMachineCreateTests : SandboxFixture
{
    private const string App = "myloware-api";
    private const string Image = "registry.fly.io/myloware-api:v0.2.0";

    private static object Request(JsonArray cmd, bool autoDestroy = false, string release = "42") => new
    {
        name = "release-command-01J9Z4Q6",
        region = "ord",
        config = new JsonObject
        {
            ["image"] = Image,
            ["init"] = new JsonObject { ["cmd"] = cmd },
            ["env"] = new JsonObject { ["RELEASE_COMMAND"] = "1" },
            ["guest"] = new JsonObject { ["cpu_kind"] = "shared", ["cpus"] = 1, ["memory_mb"] = 512 },
            ["restart"] = new JsonObject { ["policy"] = "no" },
            ["auto_destroy"] = autoDestroy,
            ["metadata"] = new JsonObject { ["fly_process_group"] = "fly_app_release_command", ["chatops_release"] = release },
        },
    };

    private async Task<JsonNode> CreateAsync(object request)
    {
        using var response = await Fly.PostAsync($"apps/{App}/machines", Body(request));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await ReadJson(response);
    }

    private async Task WaitAsync(JsonNode machine, string state)
    {
        using var wait = await Fly.GetAsync($"apps/{App}/machines/{machine["id"]}/wait?state={state}&timeout=10&instance_id={machine["instance_id"]}");
        Assert.Equal(HttpStatusCode.OK, wait.StatusCode);
    }

    [Fact]
    public async Task A_machine_created_with_a_long_sleep_runs_commands_in_its_image_until_it_is_destroyed()
    {
        var created = await CreateAsync(Request(["sleep", "3600"]));
        var id = (string)created["id"]!;
        await WaitAsync(created, "started");

        var exec = await Json(Fly.PostAsync($"apps/{App}/machines/{id}/exec", Body(new { command = new[] { "sh", "-c", "cd /app && alembic upgrade head" } })));
        using var refused = await Fly.DeleteAsync($"apps/{App}/machines/{id}");
        using var destroyed = await Fly.DeleteAsync($"apps/{App}/machines/{id}?force=true");
        var listed = (await Json(Fly.GetAsync($"apps/{App}/machines"))).AsArray();
        var withDeleted = (await Json(Fly.GetAsync($"apps/{App}/machines?include_deleted=true"))).AsArray();
        var after = await Json(Fly.GetAsync($"apps/{App}/machines/{id}"));

        Assert.Equal("created", (string?)created["state"]);
        Assert.Equal("release-command-01J9Z4Q6", (string?)created["name"]);
        Assert.Equal("v0.2.0", (string?)created["image_ref"]!["tag"]);
        Assert.Equal("42", (string?)created["config"]!["metadata"]!["chatops_release"]);
        Assert.False((bool)created["cordoned"]!);
        Assert.Contains("Running upgrade", (string)exec["stderr"]!);
        Assert.Equal(Sandbox.Fly.Alembic.Head, Sandbox.Fly.Alembic.Current);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, destroyed.StatusCode);
        Assert.DoesNotContain(listed, m => (string?)m!["id"] == id);
        Assert.Equal("destroyed", (string?)withDeleted.Single(m => (string?)m!["id"] == id)!["state"]);
        Assert.Equal("destroyed", (string?)after["state"]);
        Assert.Equal(2, Sandbox.Fly.Machines(App).Count);
        Assert.Equal(id, Sandbox.Fly.DestroyedMachines(App).Single().Id);
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.create:{id}:{Image}"));
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.destroy:{id}"));
    }

    [Fact]
    public async Task An_init_command_runs_to_its_end_and_the_exit_event_carries_its_exit_code()
    {
        Sandbox.Fly.Alembic.AddRevision("create audit", since: "v1.2.0");
        var created = await CreateAsync(Request(["alembic", "upgrade", "head"]));
        var id = (string)created["id"]!;

        await WaitAsync(created, "stopped");
        var machine = await Json(Fly.GetAsync($"apps/{App}/machines/{id}"));

        Assert.Equal("stopped", (string?)machine["state"]);
        var exit = machine["events"]![0]!;
        Assert.Equal("exit", (string?)exit["type"]);
        Assert.Equal("stopped", (string?)exit["status"]);
        Assert.Equal("flyd", (string?)exit["source"]);
        Assert.Equal(0, (int)exit["request"]!["exit_event"]!["exit_code"]!);
        Assert.False((bool)exit["request"]!["exit_event"]!["oom_killed"]!);
        // The v0.2.0 image migrates to its own head, not to the newer revision only v1.2.0 holds.
        Assert.Equal(Sandbox.Fly.Alembic.HeadOf(Image), Sandbox.Fly.Alembic.Current);
        Assert.NotEqual(Sandbox.Fly.Alembic.Head, Sandbox.Fly.Alembic.Current);
        Assert.Contains("Running upgrade", Sandbox.Fly.MainProcessResult(App, id)!.Stderr);
        Assert.Equal(1, Sandbox.Mutations.Count("fly.exec:alembic upgrade head"));
    }

    [Fact]
    public async Task A_failing_init_command_exits_non_zero_and_auto_destroy_removes_the_machine()
    {
        Sandbox.Faults.FailMigration = true;
        var created = await CreateAsync(Request(["alembic", "upgrade", "head"], autoDestroy: true));
        var id = (string)created["id"]!;

        await WaitAsync(created, "destroyed");
        var machine = await Json(Fly.GetAsync($"apps/{App}/machines/{id}"));

        Assert.Equal("destroyed", (string?)machine["state"]);
        var exit = machine["events"]!.AsArray().First(e => (string?)e!["type"] == "exit")!;
        Assert.Equal(1, (int)exit["request"]!["exit_event"]!["exit_code"]!);
        Assert.DoesNotContain(Sandbox.Fly.Machines(App), m => m.Id == id);
        using var stopped = await Fly.GetAsync($"apps/{App}/machines/{id}/wait?state=stopped&timeout=1&instance_id={created["instance_id"]}");
        Assert.Equal(HttpStatusCode.OK, stopped.StatusCode);
    }

    [Fact]
    public async Task A_short_sleep_exits_0_and_skip_launch_leaves_the_machine_stopped()
    {
        var sleeper = await CreateAsync(Request(["sleep", "0.2"]));
        var idle = await CreateAsync(new { config = new { image = Image }, skip_launch = true });

        await WaitAsync(sleeper, "stopped");
        var machine = await Json(Fly.GetAsync($"apps/{App}/machines/{sleeper["id"]}"));

        Assert.Equal(0, (int)machine["events"]![0]!["request"]!["exit_event"]!["exit_code"]!);
        Assert.Equal("stopped", (string?)idle["state"]);
    }

    [Fact]
    public async Task A_config_without_image_is_refused()
    {
        using var response = await Fly.PostAsync($"apps/{App}/machines", Body(new { config = new { env = new { A = "1" } } }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Machines_are_found_by_their_metadata()
    {
        var mine = await CreateAsync(Request(["sleep", "3600"], release: "42"));
        await CreateAsync(Request(["sleep", "3600"], release: "43"));

        var found = (await Json(Fly.GetAsync($"apps/{App}/machines?metadata.chatops_release=42&metadata.fly_process_group=fly_app_release_command"))).AsArray();
        var app = (await Json(Fly.GetAsync($"apps/{App}/machines?metadata.fly_process_group=app"))).AsArray();

        Assert.Equal((string?)mine["id"], (string?)found.Single()!["id"]);
        Assert.Equal(2, app.Count);
        Assert.Equal((string?)mine["id"], Sandbox.Fly.MachinesWithMetadata(App, "chatops_release", "42").Single().Id);
        Assert.Equal("42", Sandbox.Fly.MachinesWithMetadata(App, "chatops_release", "42").Single().Metadata["chatops_release"]);
    }

    [Fact]
    public async Task The_service_answers_from_its_service_machines_not_from_a_migrations_machine()
    {
        // The service answers from the machine with the lowest id: make that a migrations machine on v0.2.0.
        var seeded = Sandbox.Fly.Machines(App).Select(m => m.Id).Order(StringComparer.Ordinal).First();
        JsonNode created;
        do
        {
            created = await CreateAsync(Request(["sleep", "3600"]));
        }
        while (string.CompareOrdinal((string)created["id"]!, seeded) > 0);
        await WaitAsync(created, "started");

        using var request = new HttpRequestMessage(HttpMethod.Get, Sandbox.ServiceUrl("api") + "/version");
        request.Headers.Add("x-api-key", Sandbox.Options.ApiKey);
        var version = await Json(Plain.SendAsync(request));

        Assert.Equal("v0.1.0", (string?)version["version"]);
    }
}
