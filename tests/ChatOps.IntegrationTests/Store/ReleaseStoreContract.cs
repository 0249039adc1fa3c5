using System.Text.Json.Nodes;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Store;

namespace ChatOps.IntegrationTests.Store;

public abstract class ReleaseStoreContract(ITestStore stores) : StoreContract(stores)
{
    [Fact]
    public async Task A_saved_release_comes_back_with_its_outputs_and_steps()
    {
        var release = await StartAsync();
        release.State = ReleaseState.Deploy;
        release.UpdatedAt = T0.AddMinutes(3);
        release.Step(nameof(ReleaseState.Preflight)).Status = StepStatus.Done;
        var backup = release.Step(nameof(ReleaseState.Backup));
        (backup.Status, backup.StartedAt, backup.FinishedAt, backup.Detail, backup.Attempts) = (StepStatus.Done, T0.AddMinutes(1), T0.AddMinutes(2), "12 MB", 2);
        release.Outputs.HeadSha = "4f2a9c0";
        release.Outputs.PassedChecks.AddRange(["test", "ruff"]);
        release.Outputs.PreviousVersions["web"] = "v1.1.0";
        release.Outputs.PreviousVersions["api"] = null;
        release.Outputs.Backup = new BackupRecord("pg_dump", "/backups/backup_pre_v1.2.0.sql.gz", 12_345_678, "ab12", T0.AddMinutes(2));
        release.Outputs.Migrations = new MigrationPreview("a1", "b2", [new MigrationRevision("b2", "add orders")]);
        release.Outputs.Machines.Add(new MachineImage { Service = "web", App = "shop-web", MachineId = "m1", Before = "img:1", After = "img:2" });
        release.Outputs.Captured["url"] = "https://shop.example";
        await SaveAsync(release);

        var loaded = await Store.Releases.GetAsync(release.Id, None);
        var listed = await Store.Releases.ListAsync(Env, activeOnly: true, limit: 10, None);

        Assert.NotNull(loaded);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(ReleaseJson.Serialize(release)), JsonNode.Parse(ReleaseJson.Serialize(loaded))));
        Assert.Equal(ReleaseState.Deploy, loaded.State);
        Assert.Equal(12_345_678, loaded.Outputs.Backup?.SizeBytes);
        Assert.Equal(["Preflight", "Backup"], loaded.Steps.Select(s => s.Name));
        Assert.Equal(release.Id, Assert.Single(listed).Id);
    }

    [Fact]
    public async Task An_unknown_release_is_not_found()
    {
        Assert.Null(await Store.Releases.GetAsync(long.MaxValue, None));
    }

    [Fact]
    public async Task A_second_active_release_in_an_environment_is_refused_with_the_holder()
    {
        var first = await StartAsync();
        var second = NewRelease(tag: "v1.3.0");

        var outcome = await Store.Releases.TryStartAsync(second, Started(second), None);

        Assert.Null(outcome.Started);
        Assert.Equal(first.Id, outcome.Holder?.Id);
        Assert.Equal("v1.2.0", outcome.Holder?.Tag);
        Assert.Single(await Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, None));
    }

    [Fact]
    public async Task A_new_release_starts_once_the_active_one_has_ended()
    {
        var first = await StartAsync();
        await EndAsync(first);

        var second = await StartAsync();

        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal([second.Id], (await Store.Releases.ListAsync(Env, activeOnly: true, limit: 10, None)).Select(r => r.Id));
        Assert.Equal([second.Id, first.Id], (await Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, None)).Select(r => r.Id));
    }

    [Fact]
    public async Task Active_releases_in_different_environments_do_not_hold_each_other()
    {
        var staging = await StartAsync(Env + "-staging");
        var production = await StartAsync(Env + "-production");

        Assert.NotEqual(staging.Id, production.Id);
    }

    [Fact]
    public async Task Ten_concurrent_starts_in_one_environment_start_exactly_one()
    {
        var hosts = await HostsAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(async () =>
        {
            var release = NewRelease(tag: $"v1.{i}.0");
            return await hosts[i % hosts.Length].Releases.TryStartAsync(release, Started(release), None);
        })));

        var started = Assert.Single(outcomes, o => o.Started is not null).Started!;
        Assert.All(outcomes.Where(o => o.Started is null), o => Assert.Equal(started.Id, o.Holder?.Id));
        Assert.Equal([started.Id], (await Store.Releases.ListAsync(Env, activeOnly: false, limit: 20, None)).Select(r => r.Id));
    }

    [Fact]
    public async Task A_rollback_marks_the_release_it_undoes_when_it_starts_and_no_save_of_that_release_erases_the_mark()
    {
        var bad = await StartAsync();
        await EndAsync(bad, ReleaseState.Failed);
        var rollback = NewRelease();
        rollback.Kind = ReleaseKind.Rollback;
        rollback.RollbackOf = bad.Id;

        var started = (await Store.Releases.TryStartAsync(rollback, Started(rollback), None)).Started!;
        // The undone release's runner saves the record it loaded before the rollback started.
        await SaveAsync(bad);

        Assert.Equal(started.Id, (await Store.Releases.GetAsync(bad.Id, None))!.Outputs.RollbackReleaseId);
        Assert.Equal(started.Id, (await Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, None)).Single(r => r.Id == bad.Id).Outputs.RollbackReleaseId);
        Assert.Null((await Store.Releases.GetAsync(started.Id, None))!.Outputs.RollbackReleaseId);
    }

    [Fact]
    public async Task A_cancel_request_shows_in_the_loaded_release_until_cleared_and_no_save_erases_it()
    {
        var release = await StartAsync();
        await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "alice", "cancel-requested", "Backup", null, "asked", T0), None);
        await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "bob", "cancel-requested", "Backup", null, "asked", T0), None);
        // The runner saving the record it loaded before the request does not erase the request.
        release.State = ReleaseState.Backup;
        await SaveAsync(release);

        Assert.Equal(new StopRequest("alice", StopIntent.Cancel, T0), (await Store.Releases.GetAsync(release.Id, None))!.StopRequest);
        await Store.Releases.ClearCancelRequestAsync(release.Id, None);
        Assert.Null((await Store.Releases.GetAsync(release.Id, None))!.StopRequest);
        Assert.Equal(2, (await Store.Releases.EventsAsync(release.Id, null, 100, None)).Count(e => e.Action == "cancel-requested"));
    }

    [Fact]
    public async Task A_stop_request_to_roll_back_keeps_its_intent()
    {
        var release = await StartAsync();

        await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "alice", StopIntents.RollBackWithDatabaseAction, "Deploy", null, "asked", T0), None);

        Assert.Equal(new StopRequest("alice", StopIntent.RollBackWithDatabase, T0), (await Store.Releases.GetAsync(release.Id, None))!.StopRequest);
    }

    [Fact]
    public async Task A_later_stop_request_is_answered_with_the_first_one_that_stands()
    {
        var release = await StartAsync();

        var first = await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "alice", StopIntents.RollBackAction, "Deploy", null, "asked", T0), None);
        var later = await Store.Releases.RequestCancelAsync(new AuditEvent(release.Id, Env, "bob", StopIntents.RollBackWithDatabaseAction, "Deploy", null, "asked", T0.AddMinutes(1)), None);

        Assert.Equal(new StopRequest("alice", StopIntent.RollBack, T0), first);
        Assert.Equal(first, later);
        Assert.Equal(first, (await Store.Releases.GetAsync(release.Id, None))!.StopRequest);
    }
}
