using ChatOps.Core.Store;


namespace ChatOps.IntegrationTests.Store;

public abstract class ApprovalStoreContract(ITestStore stores) : StoreContract(stores)
{
    private string NewToken() => $"tok-{Guid.NewGuid():N}";

    private async Task<(ActionToken Approve, ActionToken Reject, ActionToken Cancel)> IssueGateAsync(long releaseId)
    {
        var approve = new ActionToken(NewToken(), releaseId, CardAction.Approve, "migrate", "plan-1", T0, T0.AddHours(1));
        var reject = approve with { Token = NewToken(), Action = CardAction.Reject };
        // Another gate of the same release.
        var cancel = new ActionToken(NewToken(), releaseId, CardAction.Cancel, "running", null, T0.AddSeconds(1), T0.AddHours(2));
        foreach (var token in new[] { approve, reject, cancel })
            await Store.Approvals.IssueAsync(token, None);
        return (approve, reject, cancel);
    }

    [Fact]
    public async Task An_issued_token_is_found_and_open_until_it_expires()
    {
        var release = await StartAsync();
        var (approve, reject, cancel) = await IssueGateAsync(release.Id);

        Assert.Equal(approve, await Store.Approvals.FindAsync(approve.Token, None));
        var open = await Store.Approvals.OpenAsync(release.Id, T0.AddMinutes(1), None);
        // Oldest first; Approve and Reject were issued together.
        Assert.Equal(new[] { approve.Token, reject.Token }.Order(), open.Take(2).Select(t => t.Token).Order());
        Assert.Equal(cancel, open[2]);
        Assert.Equal([cancel.Token], (await Store.Approvals.OpenAsync(release.Id, T0.AddMinutes(90), None)).Select(t => t.Token));
        Assert.Null(await Store.Approvals.FindAsync(NewToken(), None));
    }

    [Fact]
    public async Task Using_a_token_voids_the_other_tokens_of_its_gate_only()
    {
        var release = await StartAsync();
        var (approve, reject, cancel) = await IssueGateAsync(release.Id);

        Assert.True(await Store.Approvals.UseAsync(approve.Token, "bob", T0.AddMinutes(5), None));

        var used = await Store.Approvals.FindAsync(approve.Token, None);
        var voided = await Store.Approvals.FindAsync(reject.Token, None);
        Assert.Equal(("bob", T0.AddMinutes(5)), (used?.UsedBy, used?.UsedAt));
        Assert.Equal("void", voided?.UsedBy);
        Assert.Equal([cancel.Token], (await Store.Approvals.OpenAsync(release.Id, T0.AddMinutes(6), None)).Select(t => t.Token));
    }

    [Fact]
    public async Task A_token_is_used_once_and_its_voided_siblings_never()
    {
        var release = await StartAsync();
        var (approve, reject, _) = await IssueGateAsync(release.Id);
        await Store.Approvals.UseAsync(approve.Token, "bob", T0.AddMinutes(5), None);

        Assert.False(await Store.Approvals.UseAsync(approve.Token, "bob", T0.AddMinutes(6), None));
        Assert.False(await Store.Approvals.UseAsync(reject.Token, "carol", T0.AddMinutes(6), None));
        Assert.False(await Store.Approvals.UseAsync(NewToken(), "carol", T0.AddMinutes(6), None));
        Assert.Equal("bob", (await Store.Approvals.FindAsync(approve.Token, None))?.UsedBy);
    }

    [Fact]
    public async Task Concurrent_presses_on_one_gate_let_exactly_one_win()
    {
        var release = await StartAsync();
        var (approve, reject, _) = await IssueGateAsync(release.Id);
        var hosts = await HostsAsync();

        var wins = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() =>
            hosts[i % hosts.Length].Approvals.UseAsync(i % 4 < 2 ? approve.Token : reject.Token, $"user{i}", T0.AddMinutes(5), None))));

        Assert.Single(wins, won => won);
        var gate = new[] { await Store.Approvals.FindAsync(approve.Token, None), await Store.Approvals.FindAsync(reject.Token, None) };
        Assert.Single(gate, t => t?.UsedBy != "void");
    }

    [Fact]
    public async Task Voiding_closes_the_open_tokens_of_one_gate_or_of_the_whole_release()
    {
        var release = await StartAsync();
        var (approve, reject, cancel) = await IssueGateAsync(release.Id);

        await Store.Approvals.VoidAsync(release.Id, "migrate", T0.AddMinutes(1), None);
        Assert.Equal([cancel.Token], (await Store.Approvals.OpenAsync(release.Id, T0.AddMinutes(2), None)).Select(t => t.Token));

        await Store.Approvals.VoidAsync(release.Id, null, T0.AddMinutes(3), None);
        Assert.Empty(await Store.Approvals.OpenAsync(release.Id, T0.AddMinutes(4), None));
        Assert.False(await Store.Approvals.UseAsync(approve.Token, "bob", T0.AddMinutes(5), None));
        Assert.Equal(T0.AddMinutes(1), (await Store.Approvals.FindAsync(reject.Token, None))?.UsedAt);
    }
}
