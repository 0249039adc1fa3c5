using ChatOps.Core.Store;

namespace ChatOps.IntegrationTests.Store;

public abstract class IncidentStoreContract(ITestStore stores) : StoreContract(stores)
{
    private Incident Titled(string title, string by = "test:alice", string? externalId = null) =>
        new(0, Env, title, "https://example.test/incidents/1", by, externalId is null ? "chat" : "pagerduty", externalId, T0);

    [Fact]
    public async Task An_opened_incident_is_the_environments_open_one()
    {
        var opened = await Store.Incidents.OpenAsync(Titled("checkout returns 500", externalId: "PD1"), None);

        var state = await Store.Environments.GetAsync(Env, None);

        Assert.True(opened.Id > 0);
        Assert.Equal(opened, state.Incident);
        Assert.Null((await Store.Environments.GetAsync(Env + "-other", None)).Incident);
    }

    [Fact]
    public async Task The_first_open_incident_wins_over_a_second()
    {
        var first = await Store.Incidents.OpenAsync(Titled("checkout returns 500"), None);

        var second = await Store.Incidents.OpenAsync(Titled("search is slow", "test:bob"), None);

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task A_resolved_incident_is_no_longer_open_and_another_may_open()
    {
        var first = await Store.Incidents.OpenAsync(Titled("checkout returns 500"), None);

        var resolved = await Store.Incidents.ResolveAsync(Env, "test:bob", T0.AddHours(1), None);
        var again = await Store.Incidents.ResolveAsync(Env, "test:bob", T0.AddHours(2), None);
        var next = await Store.Incidents.OpenAsync(Titled("search is slow"), None);

        Assert.Equal(first with { ResolvedAt = T0.AddHours(1), ResolvedBy = "test:bob" }, resolved);
        Assert.Null(again);
        Assert.NotEqual(first.Id, next.Id);
        Assert.Equal(next, (await Store.Environments.GetAsync(Env, None)).Incident);
    }

    [Fact]
    public async Task Two_instances_opening_at_once_keep_one_incident()
    {
        var other = (await HostsAsync())[1];

        var opened = await Task.WhenAll(
            Store.Incidents.OpenAsync(Titled("checkout returns 500"), None),
            other.Incidents.OpenAsync(Titled("search is slow", "test:bob"), None));

        Assert.Equal(opened[0], opened[1]);
    }
}
