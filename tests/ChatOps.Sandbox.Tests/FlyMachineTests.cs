using System.Net;
using System.Text.Json.Nodes;

namespace ChatOps.Sandbox.Tests;

public sealed class FlyMachineTests : SandboxFixture
{
    private const string App = "myloware-api";

    // Long enough that "not there yet" assertions hold on a busy two-core machine.
    protected override SandboxOptions CreateOptions() => new() { Delay = TimeSpan.FromMilliseconds(250) };

    [Fact]
    public async Task Machines_start_on_the_initial_tag_with_a_parsed_image_ref()
    {
        var machines = (await Json(Fly.GetAsync($"apps/{App}/machines"))).AsArray();

        Assert.Equal(2, machines.Count);
        var machine = machines[0]!;
        Assert.Matches("^[0-9a-f]{14}$", (string)machine["id"]!);
        Assert.Equal("started", (string?)machine["state"]);
        Assert.Equal(26, ((string)machine["instance_id"]!).Length);
        Assert.Equal("registry.fly.io/myloware-api:v0.1.0", (string?)machine["config"]!["image"]);
        Assert.Equal("myloware-api", (string?)machine["image_ref"]!["repository"]);
        Assert.Equal("v0.1.0", (string?)machine["image_ref"]!["tag"]);
        Assert.StartsWith("sha256:", (string)machine["image_ref"]!["digest"]!);
        Assert.All(machine["checks"]!.AsArray(), c => Assert.Equal("passing", (string?)c!["status"]));
    }

    [Fact]
    public async Task An_update_of_a_leased_machine_needs_the_lease_nonce()
    {
        var id = Sandbox.Fly.Machines(App)[0].Id;
        var lease = await Json(Fly.PostAsync($"apps/{App}/machines/{id}/lease", Body(new { ttl = 30, description = "release v0.2.0" })));
        var nonce = (string)lease["data"]!["nonce"]!;
        var machine = await Json(Fly.GetAsync($"apps/{App}/machines/{id}"));
        var config = machine["config"]!.DeepClone().AsObject();
        config["image"] = "registry.fly.io/myloware-api:v0.2.0";

        using var refused = await Fly.PostAsync($"apps/{App}/machines/{id}", Body(new { config }));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"apps/{App}/machines/{id}") { Content = Body(new { config }) };
        request.Headers.Add("fly-machine-lease-nonce", nonce);
        using var accepted = await Fly.SendAsync(request);

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.StartsWith("lease currently held by chatops@example.com, expires at ", (string)(await ReadJson(refused))["error"]!);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var updated = await ReadJson(accepted);
        Assert.NotEqual((string?)machine["instance_id"], (string?)updated["instance_id"]);
        Assert.Equal("replacing", (string?)updated["state"]);
        Assert.Empty(updated["checks"]!.AsArray());
        Assert.Equal("v0.2.0", (string?)updated["image_ref"]!["tag"]);
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.update:{id}:registry.fly.io/myloware-api:v0.2.0"));
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.lease:{id}"));
    }

    [Fact]
    public async Task Wait_returns_once_the_new_version_is_started_and_checks_then_pass()
    {
        var id = Sandbox.Fly.Machines(App)[0].Id;
        var machine = await Json(Fly.GetAsync($"apps/{App}/machines/{id}"));
        var config = machine["config"]!.DeepClone().AsObject();
        config["image"] = "registry.fly.io/myloware-api:v0.2.0";
        config["env"]!["FEATURE"] = "on";
        var updated = await Json(Fly.PostAsync($"apps/{App}/machines/{id}", Body(new { config })));

        using var wait = await Fly.GetAsync($"apps/{App}/machines/{id}/wait?state=started&timeout=5&instance_id={updated["instance_id"]}");

        Assert.Equal(HttpStatusCode.OK, wait.StatusCode);
        Assert.True((bool)(await ReadJson(wait))["ok"]!);
        await Task.Delay(Sandbox.Options.Delay * 3);
        var after = await Json(Fly.GetAsync($"apps/{App}/machines/{id}"));
        Assert.Equal("started", (string?)after["state"]);
        Assert.Equal(2, after["checks"]!.AsArray().Count);
        Assert.All(after["checks"]!.AsArray(), c => Assert.Equal("passing", (string?)c!["status"]));
        Assert.Equal("on", (string?)after["config"]!["env"]!["FEATURE"]);
        Assert.Equal("/data", (string?)after["config"]!["mounts"]![0]!["path"]);
        Assert.Equal("registry.fly.io/myloware-api:v0.2.0", Sandbox.Fly.ImageOf(App, id));
    }

    [Fact]
    public async Task Wait_on_a_replaced_version_times_out_with_408()
    {
        var id = Sandbox.Fly.Machines(App)[0].Id;

        using var wait = await Fly.GetAsync($"apps/{App}/machines/{id}/wait?state=started&timeout=1&version=01HQ73A7BFFDF1B6WMGHFZZ4E7");

        Assert.Equal(HttpStatusCode.RequestTimeout, wait.StatusCode);
    }

    [Fact]
    public async Task A_second_holder_cannot_take_the_lease_but_the_holder_can_refresh_and_release_it()
    {
        var id = Sandbox.Fly.Machines(App)[1].Id;
        var lease = await Json(Fly.PostAsync($"apps/{App}/machines/{id}/lease?ttl=13", null));
        var nonce = (string)lease["data"]!["nonce"]!;

        using var other = await Fly.PostAsync($"apps/{App}/machines/{id}/lease?ttl=13", null);
        using var refresh = new HttpRequestMessage(HttpMethod.Post, $"apps/{App}/machines/{id}/lease?ttl=13");
        refresh.Headers.Add("fly-machine-lease-nonce", nonce);
        var refreshed = await Json(Fly.SendAsync(refresh));
        using var release = new HttpRequestMessage(HttpMethod.Delete, $"apps/{App}/machines/{id}/lease");
        release.Headers.Add("fly-machine-lease-nonce", nonce);
        var released = await Json(Fly.SendAsync(release));
        using var afterRelease = await Fly.GetAsync($"apps/{App}/machines/{id}/lease");

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(nonce, (string?)refreshed["data"]!["nonce"]);
        Assert.True((bool)released["data"]!["ok"]!);
        Assert.Equal(HttpStatusCode.NotFound, afterRelease.StatusCode);
        Assert.Equal(1, Sandbox.Mutations.Count("fly.lease:"));
    }

    [Fact]
    public async Task Unknown_machines_and_bad_tokens_get_fly_error_bodies()
    {
        using var missing = await Fly.GetAsync($"apps/{App}/machines/0000000000000a");
        using var unauthenticated = await Plain.GetAsync(new Uri(Fly.BaseAddress!, $"apps/{App}/machines"));
        using var flyV1 = new HttpRequestMessage(HttpMethod.Get, new Uri(Fly.BaseAddress!, $"apps/{App}/machines"));
        flyV1.Headers.TryAddWithoutValidation("Authorization", "FlyV1 " + Sandbox.Options.FlyToken);
        using var flyV1Response = await Plain.SendAsync(flyV1);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("machine not found", (string?)(await ReadJson(missing))["error"]);
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated.StatusCode);
        Assert.NotNull((await ReadJson(unauthenticated))["error"]);
        Assert.Equal(HttpStatusCode.OK, flyV1Response.StatusCode);
    }

    [Fact]
    public async Task A_snapshot_appears_in_the_list_after_the_delay()
    {
        var volume = (await Json(Fly.GetAsync($"apps/{App}/volumes"))).AsArray().Single()!;
        var volumeId = (string)volume["id"]!;

        var created = await Json(Fly.PostAsync($"apps/{App}/volumes/{volumeId}/snapshots", null));
        var immediately = (await Json(Fly.GetAsync($"apps/{App}/volumes/{volumeId}/snapshots"))).AsArray();
        await Task.Delay(Sandbox.Options.Delay * 2);
        var later = (await Json(Fly.GetAsync($"apps/{App}/volumes/{volumeId}/snapshots"))).AsArray();

        Assert.StartsWith("vs_", (string)created["Msg"]!["backup"]!["graph_id"]!);
        Assert.Empty(immediately);
        Assert.Equal("created", (string?)later.Single()!["status"]);
        Assert.Equal(Sandbox.Fly.Machines(App)[0].Id, (string?)volume["attached_machine_id"]);
        Assert.Equal(1, Sandbox.Fly.SnapshotCount(App));
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.snapshot:{volumeId}"));
    }

    [Fact]
    public async Task The_state_filter_and_summary_narrow_the_list()
    {
        var stopped = (await Json(Fly.GetAsync($"apps/{App}/machines?state=stopped"))).AsArray();
        var summary = (await Json(Fly.GetAsync($"apps/{App}/machines?summary=true"))).AsArray();

        Assert.Empty(stopped);
        Assert.All(summary, m => Assert.Null(m!.AsObject()["config"]));
        Assert.IsType<JsonObject>(summary[0]!["image_ref"]);
    }

    [Fact]
    public async Task A_stopped_machine_stays_stopped_and_a_leased_one_needs_the_nonce()
    {
        var (free, leased) = (Sandbox.Fly.Machines(App)[0].Id, Sandbox.Fly.Machines(App)[1].Id);
        using (await Fly.PostAsync($"apps/{App}/machines/{leased}/lease", Body(new { ttl = 30, description = "release v0.2.0" })))
        {
        }

        var stopped = await Json(Fly.PostAsync($"apps/{App}/machines/{free}/stop", null));
        using var refused = await Fly.PostAsync($"apps/{App}/machines/{leased}/stop", null);
        var listed = (await Json(Fly.GetAsync($"apps/{App}/machines?state=stopped"))).AsArray();

        Assert.True((bool?)stopped["ok"]);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(free, (string?)listed.Single()!["id"]);
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.stop:{free}"));
    }

    [Fact]
    public async Task A_destroyed_volume_is_still_listed_pending_destroy()
    {
        var volumeId = (string)(await Json(Fly.GetAsync($"apps/{App}/volumes"))).AsArray().Single()!["id"]!;

        using var destroyed = await Fly.DeleteAsync($"apps/{App}/volumes/{volumeId}");
        var listed = (await Json(Fly.GetAsync($"apps/{App}/volumes"))).AsArray().Single()!;

        Assert.Equal(HttpStatusCode.OK, destroyed.StatusCode);
        Assert.Equal("pending_destroy", (string?)listed["state"]);
        Assert.Equal(1, Sandbox.Mutations.Count($"fly.volume-destroy:{volumeId}"));
    }
}
