using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Rules;

public sealed class PromotionRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly EnvironmentSettings Production = new()
    {
        PromoteFrom = "staging",
        MinBake = TimeSpan.FromMinutes(15),
        Services = [new ServiceSettings { Name = "api", FlyApp = "api" }, new ServiceSettings { Name = "worker", FlyApp = "worker" }],
    };

    private static Release Staged(long id, string tag, ReleaseState state, DateTimeOffset? releasedAt, params MachineImage[] machines)
    {
        var release = new Release { Id = id, Kind = ReleaseKind.Release, Environment = "staging", Tag = tag, State = state, Requester = "console:alice" };
        release.Outputs.ReleasedAt = releasedAt;
        release.Outputs.Machines.AddRange(machines);
        return release;
    }

    private static MachineImage Machine(string service, string image, string? digest) =>
        new() { Service = service, App = $"{service}-staging", MachineId = $"m-{service}", Before = "old", After = image, Digest = digest };

    private static readonly MachineImage[] BothServices =
    [
        Machine("api", "registry.fly.io/api-staging:v0.2.0", "sha256:aaa"),
        Machine("worker", "registry.fly.io/worker-staging:v0.2.0", null),
    ];

    [Fact]
    public void A_tag_that_baked_long_enough_is_promoted_with_the_staging_images_pinned_by_digest_where_known()
    {
        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [Staged(3, "v0.2.0", ReleaseState.Released, Now.AddMinutes(-20), BothServices)], Now);

        Assert.Null(verdict.Refusal);
        Assert.Equal(3, verdict.Promotion!.SourceReleaseId);
        Assert.Equal("registry.fly.io/api-staging:v0.2.0@sha256:aaa", verdict.Promotion.Images["api"]);
        Assert.Equal("registry.fly.io/worker-staging:v0.2.0", verdict.Promotion.Images["worker"]);
    }

    [Fact]
    public void A_tag_still_baking_is_refused_with_the_time_it_would_be_allowed()
    {
        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [Staged(3, "v0.2.0", ReleaseState.Released, Now.AddMinutes(-5), BothServices)], Now);

        Assert.Equal("v0.2.0 reached Released on staging at 2026-08-01 11:55 UTC (#3), 5m ago; production wants it to bake there for 15m: "
            + "allowed from 2026-08-01 12:10:00 UTC (in 10m), then /promote v0.2.0.", verdict.Refusal);
    }

    [Fact]
    public void A_tag_that_is_still_running_on_staging_is_refused_saying_where_it_is()
    {
        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [Staged(3, "v0.2.0", ReleaseState.Deploy, null)], Now);

        Assert.Contains("v0.2.0 has not reached Released on staging (release #3 of v0.2.0 on staging is still at Deploy)", verdict.Refusal);
        Assert.Contains("then wait 15m", verdict.Refusal);
    }

    [Fact]
    public void A_tag_rolled_back_on_staging_since_it_was_released_is_refused()
    {
        var released = Staged(3, "v0.2.0", ReleaseState.Released, Now.AddHours(-2), BothServices);
        var rollback = new Release { Id = 4, Kind = ReleaseKind.Rollback, Environment = "staging", Tag = "v0.1.0", PreviousTag = "v0.2.0", State = ReleaseState.RolledBack, Requester = "console:carol" };

        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [rollback, released], Now);

        Assert.StartsWith("v0.2.0 was rolled back on staging by rollback #4 (console:carol) after release #3", verdict.Refusal);
    }

    [Fact]
    public void A_tag_that_a_rollback_to_an_older_release_went_back_past_is_refused()
    {
        var older = Staged(2, "v0.1.0", ReleaseState.Released, Now.AddHours(-4), BothServices);
        var released = Staged(3, "v0.2.0", ReleaseState.Released, Now.AddHours(-3), BothServices);
        var newer = Staged(4, "v0.3.0", ReleaseState.Released, Now.AddHours(-2), BothServices);
        var rollback = new Release { Id = 5, Kind = ReleaseKind.Rollback, Environment = "staging", Tag = "v0.1.0", PreviousTag = "v0.3.0", RollbackOf = 4, State = ReleaseState.RolledBack, Requester = "console:carol" };
        rollback.Outputs.RollbackTargetReleaseId = 2;
        newer.Outputs.RollbackReleaseId = 5;

        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [rollback, newer, released, older], Now);

        Assert.StartsWith("v0.2.0 was rolled back on staging by rollback #5 (console:carol) after release #3", verdict.Refusal);
    }

    [Fact]
    public void A_staging_release_without_an_image_for_every_production_service_is_refused()
    {
        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [Staged(3, "v0.2.0", ReleaseState.Released, Now.AddHours(-1), BothServices[0])], Now);

        Assert.Contains("recorded no image for worker", verdict.Refusal);
    }
}
