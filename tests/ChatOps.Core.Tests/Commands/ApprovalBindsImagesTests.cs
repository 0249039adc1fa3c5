using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Commands;

/// <summary>An approval binds each image's digest: a tag pushed again after it was given voids it.</summary>
public sealed class ApprovalBindsImagesTests : CoreScenario
{
    private const string ApiImage = "registry.fly.io/env0-api:v1.1.0";

    [Fact]
    public async Task An_image_pushed_again_under_the_same_tag_after_the_approval_voids_it_and_nothing_migrates_or_deploys()
    {
        var upgrades = 0;
        Core.Fleet.BeforeExec = command =>
        {
            if (command == "alembic upgrade head")
                Interlocked.Increment(ref upgrades);
            return Task.CompletedTask;
        };
        await SayAsync(Alice, "/release v1.1.0");
        var shown = (await ReleaseAsync(1)).Outputs.PlannedDigests["api"];
        Core.Fleet.Repush(ApiImage);

        await SayAsync(Bob, "/approve 1");

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.AwaitApproval, release.State);
        Assert.Contains(Core.Surface.Said, line => line.Contains("the image changed since the plan was shown", StringComparison.Ordinal)
            && line.Contains(ApiImage, StringComparison.Ordinal) && line.Contains(shown[..19], StringComparison.Ordinal));
        Assert.Equal(0, upgrades);
        Assert.Empty(Core.Fleet.Updates);
        Assert.NotEqual(shown, release.Outputs.PlannedDigests["api"]);
    }

    [Fact]
    public async Task The_new_plan_with_the_new_digest_is_approved_again_and_released()
    {
        await SayAsync(Alice, "/release v1.1.0");
        Core.Fleet.Repush(ApiImage);
        await SayAsync(Bob, "/approve 1");

        var again = await SayAsync(Bob, "/approve 1");

        Assert.False(again.IsRefusal, again.Text);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
        Assert.Equal(4, Core.Fleet.Updates.Count);
    }

    [Fact]
    public async Task An_image_untouched_since_the_approval_keeps_it_valid()
    {
        await SayAsync(Alice, "/release v1.1.0");
        Core.Fleet.Repush("registry.fly.io/env0-api:v9.9.9");

        await SayAsync(Bob, "/approve 1");

        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
        Assert.DoesNotContain(Core.Surface.Said, line => line.Contains("changed since", StringComparison.Ordinal));
    }
}
