using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Commands;

/// <summary>/rollback while a release has changed nothing yet cancels it, and says so before it is confirmed; stopping someone else's release is for approvers.</summary>
public sealed class StopBeforeNoReturnTests : CoreScenario
{
    private static readonly ChatUser Carol = new("test:carol");

    private async Task V1RunsAndV2WaitsForApprovalAsync()
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
        await SayAsync(Alice, "/release v1.1.0");
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(2)).State);
    }

    [Fact]
    public async Task A_typed_rollback_before_the_point_of_no_return_asks_to_cancel_the_release_and_says_what_keeps_running()
    {
        await V1RunsAndV2WaitsForApprovalAsync();

        await SayAsync(Alice, "/rollback");
        var question = Core.Surface.Notices.Last().Text;
        await PressYesAsync(Alice);

        Assert.Contains("Release #2 (v1.1.0) is cancelled", question);
        Assert.Contains($"{Env} keeps running v1.0.1", question);
        Assert.DoesNotContain("stays locked", question);
        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(2)).State);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task Rollback_check_before_the_point_of_no_return_says_a_rollback_cancels_the_release()
    {
        await V1RunsAndV2WaitsForApprovalAsync();

        var check = await SayAsync(Alice, "/rollback --check");

        Assert.Contains("Release #2 (v1.1.0) is cancelled", check.Text);
        Assert.Contains($"{Env} keeps running v1.0.1", check.Text);
        Assert.DoesNotContain("Target:", check.Text);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(2)).State);
    }

    [Fact]
    public async Task A_releaser_may_not_stop_a_release_someone_else_requested_but_an_approver_may()
    {
        await RestartWithAsync(s => s.Access.Releasers.Add(Carol.Id));
        await SayAsync(Alice, "/release v1.1.0");

        var cancel = await SayAsync(Carol, "/cancel 1");
        var rollback = await SayAsync(Carol, "/rollback");

        Assert.True(cancel.IsRefusal, cancel.Text);
        Assert.Contains("only its requester and approvers", cancel.Text);
        Assert.True(rollback.IsRefusal, rollback.Text);
        Assert.Contains("only its requester and approvers", rollback.Text);
        Assert.Equal(ReleaseState.AwaitApproval, (await ReleaseAsync(1)).State);
        Assert.False((await SayAsync(Bob, "/cancel 1")).IsRefusal);
        Assert.Equal(ReleaseState.Cancelled, (await ReleaseAsync(1)).State);
    }
}
