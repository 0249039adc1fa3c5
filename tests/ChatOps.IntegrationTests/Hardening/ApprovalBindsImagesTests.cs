using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>Issue 14, item 11: the approval binds each image's digest as Fly's registry holds it, through the real host and the simulators.</summary>
public sealed class ApprovalBindsImagesTests
{
    [Fact]
    public async Task An_image_pushed_again_under_the_same_tag_after_the_approval_voids_it_and_nothing_migrates_or_deploys()
    {
        await using var bot = await SandboxBot.StartAsync();
        await bot.SayAsync("/release v0.2.0");
        var shown = bot.Sandbox.Fly.Registry.DigestOf("registry.fly.io/myloware-api:v0.2.0")!;
        var pushed = bot.Sandbox.Fly.Registry.Repush("registry.fly.io/myloware-api:v0.2.0");
        await bot.SayAsync("/as bob");

        var voided = await bot.SayAsync("/approve 1");

        Assert.Contains("the image changed since the plan was shown", voided);
        Assert.Contains($"registry.fly.io/myloware-api:v0.2.0 ({shown[..19]} → {pushed[..19]})", voided);
        Assert.Equal(ReleaseState.AwaitApproval, (await bot.Store.GetAsync(1, CancellationToken.None))!.State);
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
        Assert.Equal(0, bot.Sandbox.Mutations.Count("fly.update"));

        var released = await bot.SayAsync("/approve 1");

        Assert.Contains("✅ Released v0.2.0", released);
        // What runs is what the second approval saw: the machines resolved the tag to the re-pushed digest.
        var api = (await bot.Store.GetAsync(1, CancellationToken.None))!.Outputs.Machines.Where(m => m.Service == "api").ToList();
        Assert.NotEmpty(api);
        Assert.All(api, m => Assert.Equal(pushed, m.Digest));
    }
}
