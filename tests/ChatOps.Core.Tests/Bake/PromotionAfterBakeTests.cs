using ChatOps.Core.Bake;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Bake;

// PromoteFrom takes only what passed its bake in the source environment, not only what has been out long enough.
public sealed class PromotionAfterBakeTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly EnvironmentSettings Production = new()
    {
        PromoteFrom = "staging",
        Services = [new ServiceSettings { Name = "api", FlyApp = "api" }],
    };

    [Theory]
    // the source's bake: none (its environment had none), passed, accepted by a person after it could not judge | refused?
    [InlineData("none", false)]
    [InlineData("passed", false)]
    [InlineData("accepted", true)]
    public void A_tag_is_promoted_only_when_its_bake_on_the_source_passed_or_there_was_none(string bake, bool refused)
    {
        var source = new Release { Id = 3, Kind = ReleaseKind.Release, Environment = "staging", Tag = "v0.2.0", State = ReleaseState.Released, Requester = "console:alice" };
        source.Outputs.ReleasedAt = Now.AddMinutes(-20);
        source.Outputs.Machines.Add(new MachineImage { Service = "api", App = "api-staging", MachineId = "m1", Before = "old", After = "registry.fly.io/api-staging:v0.2.0" });
        var window = BakeRecord.Start(Now.AddMinutes(-35), Now.AddMinutes(-32), TimeSpan.FromMinutes(2));
        source.Outputs.Bake = bake switch
        {
            "passed" => window with { LastVerdict = BakeVerdict.Passed },
            "accepted" => window with { LastVerdict = BakeVerdict.Inconclusive, LastReason = "api: not enough traffic to judge: 12 requests in 2 min (100 needed)", AskedAt = Now.AddMinutes(-30) },
            _ => null,
        };

        var verdict = PromotionRule.Check("production", Production, "v0.2.0", [source], Now);

        Assert.Equal(refused, verdict.Refusal is not null);
        if (refused)
            Assert.StartsWith("Release #3 of v0.2.0 on staging did not pass its bake: it could not be judged (api: not enough traffic", verdict.Refusal);
    }
}
