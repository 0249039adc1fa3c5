using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Commands;

/// <summary>The promotion rule holds until the point of no return: what the source environment took back is not approved onward.</summary>
public sealed class PromotionAtApprovalTests : CoreScenario
{
    private const string Production = "env1";

    protected override void Configure(ChatOpsSettings settings)
    {
        settings.Environments[Production] = ShapedSettings.Create(2).Environments[Production];
        settings.Environments[Production].PromoteFrom = Env;
    }

    private int ProductionUpdates => Core.Fleet.Updates.Count(u => u.Machine.StartsWith($"{Production}-", StringComparison.Ordinal));

    /// <summary>v1.0.1 then v1.1.0 released on env0; v1.1.0 promoted to env1 (#3), which waits for its approval.</summary>
    private async Task PromotedAndWaitingAsync()
    {
        foreach (var (tag, id) in new[] { ("v1.0.1", 1L), ("v1.1.0", 2L) })
        {
            await SayAsync(Alice, $"/release {tag}");
            await SayAsync(Bob, $"/approve {id}");
            Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
        }
        var promoted = await SayAsync(Alice, $"/promote v1.1.0 {Env} {Production}");
        Assert.False(promoted.IsRefusal, promoted.Text);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(3)).State);
    }

    [Fact]
    public async Task A_promoted_release_whose_tag_was_rolled_back_at_its_source_is_refused_at_the_approval_and_never_deployed()
    {
        await PromotedAndWaitingAsync();
        await SayConfirmedAsync(Alice, $"/rollback {Env}");
        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(4)).State);

        var approval = await SayAsync(Bob, "/approve 3");

        Assert.True(approval.IsRefusal, approval.Text);
        Assert.Contains("rolled back on env0 by rollback #4", approval.Text);
        Assert.NotEqual(ReleaseState.Released, (await ReleaseAsync(3)).State);
        Assert.Equal(0, ProductionUpdates);
    }

    [Fact]
    public async Task A_promoted_release_whose_source_still_runs_its_tag_is_approved_and_deployed()
    {
        await PromotedAndWaitingAsync();

        var approval = await SayAsync(Bob, "/approve 3");

        Assert.False(approval.IsRefusal, approval.Text);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(3)).State);
        Assert.True(ProductionUpdates > 0);
    }
}
