using System.Net.Http.Headers;
using System.Net.Http.Json;
using ChatOps.Core.Ports;
using ChatOps.Host.Fly;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.IntegrationTests.Clients;

public sealed class FlyClientTests : ClientFixture
{
    private const string App = "myloware-api";
    private const string NewImage = "registry.fly.io/myloware-api:v0.2.0";
    private static readonly string[] Upgrade = ["alembic", "upgrade", "head"];

    private IDeployTarget Fly => Get<IDeployTarget>();

    // Release 1's machine on the new image, which knows every revision the sandbox starts with.
    private Task<MigrationMachine> MigrationMachineAsync() => Fly.StartMigrationMachineAsync(App, 1, NewImage, waitStarted: true, CancellationToken.None);

    [Fact]
    public async Task Machines_are_listed_with_their_image_and_health()
    {
        var machines = await Fly.ListMachinesAsync(App, CancellationToken.None);

        Assert.Equal(2, machines.Count);
        // The digest is what Fly resolved the image to (image_ref.digest): what a promotion pins production to.
        Assert.All(machines, m => Assert.Equal(new MachineStatus(m.Id, "started", "registry.fly.io/myloware-api:v0.1.0", true, m.Digest), m));
        Assert.All(machines, m => Assert.StartsWith("sha256:", m.Digest));
    }

    [Fact]
    public async Task Deploy_moves_both_machines_to_the_new_image_and_a_second_deploy_sends_no_update()
    {
        var ids = Sandbox.Fly.Machines(App).Select(m => m.Id).ToList();

        foreach (var id in ids)
        {
            var status = await Fly.DeployAsync(App, id, NewImage, TimeSpan.FromSeconds(30), CancellationToken.None);
            Assert.Equal(new MachineStatus(id, "started", NewImage, true, status.Digest), status);
        }

        foreach (var id in ids)
        {
            await Fly.DeployAsync(App, id, NewImage, TimeSpan.FromSeconds(30), CancellationToken.None);
        }

        Assert.All(ids, id => Assert.Equal(NewImage, Sandbox.Fly.ImageOf(App, id)));
        Assert.Equal(2, Sandbox.Mutations.Count("fly.update:"));
        Assert.All(Sandbox.Fly.Machines(App), m => Assert.False(m.Leased));
        // The update is the whole config read back with only the image changed.
        Assert.All(Sandbox.Fly.Machines(App), m => Assert.Equal("production", (string?)m.Config["env"]?["APP_ENV"]));
    }

    [Fact]
    public async Task Deploy_rides_out_a_429_with_retry_after_and_server_errors()
    {
        var ids = Sandbox.Fly.Machines(App).Select(m => m.Id).ToList();

        Sandbox.Faults.FailNextFlyCalls(1, 429, TimeSpan.FromSeconds(1));
        await Fly.DeployAsync(App, ids[0], NewImage, TimeSpan.FromSeconds(30), CancellationToken.None);
        Sandbox.Faults.FailNextFlyCalls(2, 500);
        await Fly.DeployAsync(App, ids[1], NewImage, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.All(ids, id => Assert.Equal(NewImage, Sandbox.Fly.ImageOf(App, id)));
        Assert.Equal(2, Sandbox.Mutations.Count("fly.update:"));
        Assert.Contains(Logs.Lines, l => l.Contains("Retrying GET") && l.Contains("after 00:00:01 (429)"));
        Assert.Equal(2, Logs.Lines.Count(l => l.Contains("Retrying GET") && l.Contains("(500)")));
        Assert.DoesNotContain(Logs.Lines, l => l.Contains(Sandbox.Options.FlyToken));
    }

    [Fact]
    public async Task A_deploy_that_runs_out_of_time_says_so_and_still_releases_the_lease()
    {
        var id = Sandbox.Fly.Machines(App)[0].Id;

        var error = await Assert.ThrowsAsync<TimeoutException>(() =>
            Fly.DeployAsync(App, id, NewImage, TimeSpan.FromMilliseconds(1), CancellationToken.None));

        Assert.Equal($"Machine {id} of {App} did not reach `started` on {NewImage} within 00:00:00.0010000.", error.Message);
        Assert.All(Sandbox.Fly.Machines(App), m => Assert.False(m.Leased));
    }

    [Fact]
    public async Task Deploy_waits_for_a_lease_held_by_someone_else()
    {
        var id = Sandbox.Fly.Machines(App)[0].Id;
        using var other = new HttpClient();
        other.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Sandbox.Options.FlyToken);
        using var held = await other.PostAsJsonAsync($"{Sandbox.FlyApiUrl}/v1/apps/{App}/machines/{id}/lease", new { ttl = 1, description = "someone else" });
        held.EnsureSuccessStatusCode();

        var status = await Fly.DeployAsync(App, id, NewImage, TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(NewImage, status.Image);
        Assert.Equal(1, Sandbox.Mutations.Count("fly.update:"));
    }

    [Fact]
    public async Task Exec_of_alembic_upgrade_returns_its_exit_code_and_output()
    {
        var machine = await MigrationMachineAsync();
        var ran = await Fly.ExecAsync(machine, Upgrade, TimeSpan.FromSeconds(60), CancellationToken.None);
        var again = await Fly.ExecAsync(machine, ["alembic", "current"], TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(0, ran.ExitCode);
        Assert.Contains("Running upgrade", ran.Stderr);
        Assert.Equal(Sandbox.Fly.Alembic.Head, Sandbox.Fly.Alembic.Current);
        Assert.StartsWith(Sandbox.Fly.Alembic.Head, again.Stdout);
    }

    [Fact]
    public async Task A_failing_migration_reports_exit_code_1()
    {
        Sandbox.Faults.FailMigration = true;

        var result = await Fly.ExecAsync(await MigrationMachineAsync(), Upgrade, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("DuplicateTable", result.Stderr);
    }

    [Fact]
    public async Task Exec_is_not_retried_when_fly_answers_500_but_is_retried_on_429()
    {
        // The fault is armed as the exec request leaves, so it is the exec (not the machine list) that fails.
        var exec = new AttemptSpy(r => r.RequestUri!.AbsolutePath.EndsWith("/exec"), n =>
        {
            if (n == 1)
            {
                Sandbox.Faults.FailNextFlyCalls(1, 500);
            }
        });
        await using var services = BuildServices(ConfigFor(Sandbox), s => s.AddHttpClient(FlyClient.HttpClientName).AddHttpMessageHandler(exec.CreateHandler));
        var fly = services.GetRequiredService<IDeployTarget>();
        var before = Sandbox.Fly.Alembic.Current;
        var machine = await MigrationMachineAsync();

        var error = await Assert.ThrowsAsync<OutcomeUnknownException>(() => fly.ExecAsync(machine, Upgrade, TimeSpan.FromSeconds(60), CancellationToken.None));

        Assert.Equal(1, exec.Count);
        Assert.Contains("Fly answered 500", error.Message);
        Assert.Equal(before, Sandbox.Fly.Alembic.Current);
        Assert.Equal(0, Sandbox.Mutations.Count("fly.exec:"));

        var limited = new AttemptSpy(r => r.RequestUri!.AbsolutePath.EndsWith("/exec"), n =>
        {
            if (n == 1)
            {
                Sandbox.Faults.FailNextFlyCalls(1, 429);
            }
        });
        await using var retrying = BuildServices(ConfigFor(Sandbox), s => s.AddHttpClient(FlyClient.HttpClientName).AddHttpMessageHandler(limited.CreateHandler));

        var result = await retrying.GetRequiredService<IDeployTarget>().ExecAsync(machine, Upgrade, TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, limited.Count);
        Assert.Equal(1, Sandbox.Mutations.Count("fly.exec:alembic upgrade head"));
    }

    [Fact]
    public async Task A_read_only_exec_is_retried_when_fly_answers_500()
    {
        // Found by the fault suite: one 5xx on `alembic heads` stopped a release in NeedsAttention at its approval gate.
        var exec = new AttemptSpy(r => r.RequestUri!.AbsolutePath.EndsWith("/exec"), n =>
        {
            if (n == 1)
            {
                Sandbox.Faults.FailNextFlyCalls(1, 500);
            }
        });
        await using var services = BuildServices(ConfigFor(Sandbox), s => s.AddHttpClient(FlyClient.HttpClientName).AddHttpMessageHandler(exec.CreateHandler));

        var machine = await MigrationMachineAsync();
        var result = await services.GetRequiredService<IDeployTarget>().ReadAsync(machine, ["alembic", "current"], TimeSpan.FromSeconds(60), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(2, exec.Count);
        Assert.Contains(Sandbox.Fly.Alembic.Current!, result.Stdout);
    }

    [Fact]
    public async Task An_exec_that_outlives_its_timeout_is_an_unknown_outcome()
    {
        Sandbox.Fly.ExecHandler = async (_, token) =>
        {
            await Task.Delay(Timeout.Infinite, token);
            return new FlyExecResult(0, "", "");
        };

        var machine = await MigrationMachineAsync();
        var error = await Assert.ThrowsAsync<OutcomeUnknownException>(() =>
            Fly.ExecAsync(machine, Upgrade, TimeSpan.FromSeconds(1), CancellationToken.None));

        Assert.Contains("may still be running", error.Message);
    }

    [Fact]
    public async Task A_snapshot_is_returned_once_the_volume_lists_it()
    {
        var id = await Fly.SnapshotVolumeAsync(App, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.StartsWith("vs_", id);
        Assert.Equal(1, Sandbox.Fly.SnapshotCount(App));
    }

    [Theory]
    [InlineData("fm2_abc", "FlyV1 fm2_abc")]
    [InlineData("fm1r_abc", "FlyV1 fm1r_abc")]
    [InlineData("FlyV1 fm2_abc,fm2_def", "FlyV1 fm2_abc,fm2_def")]
    [InlineData("Bearer xyz", "Bearer xyz")]
    [InlineData("personal-token", "Bearer personal-token")]
    public void The_authorization_scheme_follows_the_token_kind(string token, string header) =>
        Assert.Equal(header, new FlyOptions { ApiToken = token }.AuthorizationHeader);
}
