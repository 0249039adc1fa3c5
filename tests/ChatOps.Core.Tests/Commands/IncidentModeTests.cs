using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Commands;

/// <summary>Incident mode as the on-call engineer meets it: releases refused, rollbacks linked, a hotfix approved by an approver.</summary>
public sealed class IncidentModeTests : CoreScenario
{
    private static readonly ChatUser Mallory = new("test:mallory");

    private async Task ReleasedAsync(string tag, long id)
    {
        await SayAsync(Alice, $"/release {tag}");
        await SayAsync(Bob, $"/approve {id}");
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
    }

    private Task OpenFromToolAsync() => Core.Get<IncidentCommands>().OpenAsync(Env, "Checkout returns 500", "https://acme.pagerduty.com/incidents/PX1", "pagerduty", "pagerduty", "PX1",
        CancellationToken.None);

    [Fact]
    public async Task A_release_in_an_incident_is_refused_with_its_title_and_link()
    {
        await OpenFromToolAsync();

        var refused = await SayAsync(Alice, "/release v1.1.0");

        Assert.True(refused.IsRefusal);
        Assert.Contains("open incident #1 “Checkout returns 500” (https://acme.pagerduty.com/incidents/PX1)", refused.Text);
        Assert.Contains("/release v1.1.0 env0 --hotfix", refused.Text);
        Assert.Empty(await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None));
    }

    [Fact]
    public async Task An_incident_opened_in_chat_shows_in_status_and_ends_with_resolved()
    {
        var opened = await SayAsync(Alice, "/incident \"checkout returns 500\"");
        var status = await SayAsync(Alice, "/status");
        var resolved = await SayAsync(Bob, "/incident resolved");
        var released = await SayAsync(Alice, "/release v1.1.0");
        var history = await SayAsync(Alice, "/history");

        Assert.Contains("🚨 incident #1 “checkout returns 500” opened on env0", opened.Text);
        Assert.Contains("🚨 incident #1 “checkout returns 500” open since", status.Text);
        Assert.Contains("✅ incident #1 “checkout returns 500” on env0 resolved by test:bob", resolved.Text);
        Assert.False(released.IsRefusal, released.Text);
        Assert.Contains("🚨 incident #1 “checkout returns 500” from chat, opened by test:alice", history.Text);
        Assert.Contains("✅ incident #1 “checkout returns 500” resolved by test:bob", history.Text);
        var events = await Core.Store.Releases.EventsAsync(null, Env, 50, CancellationToken.None);
        Assert.Contains(events, e => e.Action == "incident-opened" && e.Actor == Alice.Id);
        Assert.Contains(events, e => e.Action == "incident-resolved" && e.Actor == Bob.Id);
    }

    [Fact]
    public async Task A_second_incident_is_refused_while_one_is_open()
    {
        await SayAsync(Alice, "/incident \"checkout returns 500\"");

        var second = await SayAsync(Bob, "/incident \"search is slow\"");

        Assert.True(second.IsRefusal);
        Assert.Contains("already has an open incident #1 “checkout returns 500”", second.Text);
    }

    [Fact]
    public async Task Someone_without_a_role_may_not_open_an_incident()
    {
        var refused = await SayAsync(Mallory, "/incident \"it is all down\"");

        Assert.True(refused.IsRefusal);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Incident);
    }

    [Fact]
    public async Task A_rollback_in_an_incident_runs_and_is_linked_to_it()
    {
        await ReleasedAsync("v1.0.1", 1);
        await ReleasedAsync("v1.1.0", 2);
        await OpenFromToolAsync();

        var rolled = await SayConfirmedAsync(Alice, "/rollback");

        Assert.Contains("linked to the open incident #1 “Checkout returns 500”", rolled.Text);
        var rollback = await ReleaseAsync(3);
        Assert.Equal(ReleaseState.RolledBack, rollback.State);
        Assert.Equal(1, rollback.Outputs.Incident!.Id);
        Assert.Contains(Core.Surface.Cards.Where(c => c.ReleaseId == 3), c => c.Details.Any(d => d.Contains("rollback during incident #1", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Time_to_restore_counts_from_the_incidents_start_when_a_rollback_is_linked_to_it()
    {
        await ReleasedAsync("v1.0.1", 1);
        await ReleasedAsync("v1.1.0", 2);
        Clock.Advance(TimeSpan.FromMinutes(5));
        await OpenFromToolAsync();
        Clock.Advance(TimeSpan.FromMinutes(12));

        await SayConfirmedAsync(Alice, "/rollback");

        var history = await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None);
        var figures = DeliveryFigures.Of(Env, history, Clock.GetUtcNow(), TimeSpan.FromDays(30));
        Assert.Equal((1, TimeSpan.FromMinutes(12)), (figures.Restores, figures.TimeToRestore));
    }

    [Fact]
    public async Task A_hotfix_needs_an_approvers_approval_even_with_nothing_to_migrate()
    {
        await RestartWithAsync(settings => settings.Environments[Env].Migrations.App = "");
        await OpenFromToolAsync();

        var started = await SayAsync(Alice, "/release v1.1.0 --hotfix");

        Assert.False(started.IsRefusal, started.Text);
        Assert.Contains("hotfix for incident #1", started.Text);
        var waiting = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.AwaitApproval, waiting.State);
        Assert.Contains("hotfix in an incident, nothing to migrate", waiting.Step(Runbook.ApprovalStep).Detail);
        await SayAsync(Bob, "/approve 1");
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task Without_an_incident_a_release_with_nothing_to_migrate_needs_no_approval()
    {
        await RestartWithAsync(settings => settings.Environments[Env].Migrations.App = "");

        await SayAsync(Alice, "/release v1.1.0");

        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task A_hotfix_without_an_open_incident_is_refused()
    {
        var refused = await SayAsync(Alice, "/release v1.1.0 --hotfix");

        Assert.True(refused.IsRefusal);
        Assert.Contains("--hotfix is for the fix of an open incident", refused.Text);
    }

    [Fact]
    public async Task An_incident_opened_while_a_release_waits_holds_its_approval()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await OpenFromToolAsync();

        var held = await SayAsync(Bob, "/approve 1");

        Assert.True(held.IsRefusal);
        Assert.Contains("release #1 waits until /incident resolved env0", held.Text);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task The_tool_resolves_only_the_incident_it_opened()
    {
        await SayAsync(Alice, "/incident \"checkout returns 500\"");

        var ignored = await Core.Get<IncidentCommands>().ResolveAsync(Env, "pagerduty", "PX9", CancellationToken.None);

        Assert.Contains("is not the one the incident tool resolved", ignored.Message);
        Assert.NotNull((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Incident);
    }
}
