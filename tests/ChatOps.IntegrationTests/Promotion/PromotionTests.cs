using ChatOps.Core.Releases;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Promotion;

/// <summary>Staging before production, through the console of the real host against the sandbox's GitHub and Fly.</summary>
public sealed class PromotionTests
{
    private static readonly Dictionary<string, string?> PromoteFromStaging = new()
    {
        ["ChatOps:Environments:production:PromoteFrom"] = "staging",
        ["ChatOps:Environments:production:MinBake"] = "00:00:00",
    };

    private static async Task<SandboxBot> StagingReleasedAsync(IDictionary<string, string?> settings, string tag = "v0.2.0")
    {
        var bot = await SandboxBot.StartAsync(settings);
        await bot.SayAsync($"/release {tag} staging");
        await bot.SayAsync("/as bob");
        await bot.SayAsync("/approve 1");
        await bot.SayAsync("/as alice");
        await bot.WaitForStateAsync(1, ReleaseState.Released);
        return bot;
    }

    [Fact]
    public async Task Promote_gives_production_exactly_the_images_staging_ran_pinned_by_digest()
    {
        await using var bot = await StagingReleasedAsync(PromoteFromStaging);
        var staging = bot.Sandbox.Fly.Machines("myloware-api-staging").Select(m => m.Image).Distinct().Single();

        var output = await bot.SayAsync("/promote v0.2.0");
        await bot.WaitForStateAsync(2, ReleaseState.AwaitApproval);
        await bot.SayAsync("/as bob");
        await bot.SayAsync("/approve 2");
        await bot.WaitForStateAsync(2, ReleaseState.Released);

        Assert.Contains("Release #2 of v0.2.0 to production started, promoted from staging release #1 with the same images", output);
        var production = bot.Sandbox.Fly.Machines("myloware-api").Select(m => m.Image).Distinct().Single();
        // Staging ran the digest approved there; production runs that very reference.
        Assert.Contains(":v0.2.0@sha256:", staging);
        Assert.Equal(staging.Replace("-staging", "", StringComparison.Ordinal).Split('@')[0], production.Split('@')[0].Replace("-staging", "", StringComparison.Ordinal));
        Assert.Equal(staging.Split('@')[1], production.Split('@')[1]);
        Assert.Contains("promoted from staging #1: same images as staging", bot.Output);
    }

    [Fact]
    public async Task A_release_to_production_of_a_tag_staging_never_released_is_refused_and_nothing_starts()
    {
        await using var bot = await SandboxBot.StartAsync(PromoteFromStaging);

        var output = await bot.SayAsync("/release v0.2.0");

        Assert.Contains("production takes only what staging released: v0.2.0 has not reached Released on staging (v0.2.0 was never released there)", output);
        Assert.Empty(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task A_release_that_has_not_baked_long_enough_is_refused_with_the_time_it_would_be_allowed()
    {
        await using var bot = await StagingReleasedAsync(new Dictionary<string, string?>(PromoteFromStaging) { ["ChatOps:Environments:production:MinBake"] = "01:00:00" });

        var output = await bot.SayAsync("/promote v0.2.0 staging production");

        Assert.Contains("production wants it to bake there for 1h: allowed from", output);
        Assert.Single(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task An_approver_may_skip_the_promotion_rule_with_a_reason_that_is_audited_and_on_the_card()
    {
        // Bob approves and, here, may also release: the override is for someone who may do both.
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?>(PromoteFromStaging) { ["ChatOps:Access:Releasers:1"] = "console:bob" });
        await bot.SayAsync("/as bob");

        var output = await bot.SayAsync("/release v0.2.0 production --skip-promotion \"hotfix for the payments outage\"");

        Assert.Contains("without the promotion rule (skipped by console:bob: hotfix for the payments outage)", output);
        Assert.Contains("⚠ promotion from staging skipped by console:bob: hotfix for the payments outage", output);
        var events = await bot.Store.EventsAsync(1, null, 10, CancellationToken.None);
        Assert.Contains(events, e => e.Action == "request" && e.Detail.Contains("promotion from staging skipped by console:bob: hotfix for the payments outage", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_releaser_who_is_not_an_approver_may_not_skip_the_promotion_rule()
    {
        await using var bot = await SandboxBot.StartAsync(PromoteFromStaging);

        var output = await bot.SayAsync("/release v0.2.0 --skip-promotion \"in a hurry\"");

        Assert.Contains("console:alice may not skip the promotion rule: only approvers can", output);
        Assert.Empty(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task Every_release_and_rollback_is_a_GitHub_deployment_that_ends_success_and_makes_the_one_it_supersedes_inactive()
    {
        await using var bot = await StagingReleasedAsync(new Dictionary<string, string?>(PromoteFromStaging)
        {
            ["ChatOps:Environments:staging:Url"] = "https://staging.example.com",
        });
        await bot.SayAsync("/release v0.3.0 staging");
        await bot.WaitForStateAsync(2, ReleaseState.Released);
        await bot.SayConfirmedAsync("/rollback staging");
        await bot.WaitForStateAsync(3, ReleaseState.RolledBack);

        var deployments = bot.Sandbox.GitHub.DeploymentViews();
        Assert.Equal(3, deployments.Count);
        Assert.All(deployments, d => Assert.Equal("staging", d.Environment));
        Assert.Equal(["v0.2.0", "v0.3.0", "v0.2.0"], deployments.Select(d => d.Ref));
        Assert.Equal(["in_progress", "success", "inactive"], deployments[0].States);
        Assert.Equal(["in_progress", "success", "inactive"], deployments[1].States);
        Assert.Equal(["in_progress", "success"], deployments[2].States);
        Assert.Equal(deployments[0].Sha, deployments[2].Sha);
        Assert.Equal("https://staging.example.com", deployments[2].EnvironmentUrl);
    }

    [Fact]
    public async Task A_release_that_fails_after_it_changed_the_environment_marks_its_deployment_failed()
    {
        await using var bot = await SandboxBot.StartAsync();
        bot.Sandbox.Faults.UnhealthyTags.Add("v0.2.0");

        await bot.ReleaseApprovedAsync("v0.2.0");
        await bot.WaitForStateAsync(1, ReleaseState.Failed);

        Assert.Equal(["in_progress", "failure"], bot.Sandbox.GitHub.DeploymentViews().Single().States);
    }

    [Fact]
    public async Task With_GitHub_deployments_off_no_deployment_is_written()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["GitHub:Deployments"] = "false" });

        await bot.ReleaseApprovedAsync("v0.2.0");
        await bot.WaitForStateAsync(1, ReleaseState.Released);

        Assert.Empty(bot.Sandbox.GitHub.DeploymentViews());
    }
}
