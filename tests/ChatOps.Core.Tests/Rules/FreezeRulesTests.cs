using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using static ChatOps.Core.Tests.Rules.RuleRows;

namespace ChatOps.Core.Tests.Rules;

public sealed class FreezeRulesTests
{
    // Now is Mon 2026-12-07 03:12 UTC: inside a nightly freeze from 03:00 to 05:00 UTC.
    private static readonly FreezeRules Rules = new(new ChatOpsSettings
    {
        Environments =
        {
            ["production"] = new EnvironmentSettings { Freezes = [new FreezeSettings { Cron = "0 3 * * *", Duration = TimeSpan.FromHours(2), Reason = "nightly batch" }] },
            ["staging"] = new EnvironmentSettings(),
        },
    }, Access);

    [Theory]
    [InlineData("alice", "production", null, "production is frozen until Mon 05:00 UTC (nightly batch)")]
    [InlineData("alice", "production", "hotfix", "may not --override-freeze: only approvers can")]
    [InlineData("alice", "staging", null, null)]
    [InlineData("bob", "production", "hotfix", null)]
    [InlineData("bob", "production", " ", "--override-freeze needs a reason")]
    public void A_release_inside_a_window_needs_an_approvers_override(string who, string environment, string? overrideReason, string? refusal)
    {
        var verdict = Rules.AtStart(Person(who), environment, "v1.2.0", overrideReason, Now);

        if (refusal is null)
            Assert.Null(verdict.Refusal);
        else
            Assert.Contains(refusal, verdict.Refusal);
    }

    [Fact]
    public void An_override_records_who_why_and_the_window() =>
        Assert.Equal(new FreezeOverride("test:bob", "hotfix", "nightly batch", "Mon 05:00 UTC", Now), Rules.AtStart(Person("bob"), "production", "v1.2.0", "hotfix", Now).Override);

    [Theory]
    [InlineData(ReleaseKind.Release, false, null, true)]
    [InlineData(ReleaseKind.Release, true, null, false)]
    [InlineData(ReleaseKind.Release, false, "launch fix", false)]
    [InlineData(ReleaseKind.Rollback, false, null, false)]
    public void A_window_holds_an_approval_unless_overridden_and_never_a_rollbacks(ReleaseKind kind, bool overriddenAtStart, string? overrideNow, bool held)
    {
        var release = At(ReleaseState.AwaitApproval);
        release.Kind = kind;
        if (overriddenAtStart)
            release.Outputs.FreezeOverride = new FreezeOverride("test:bob", "hotfix", "nightly batch", null, Now);

        var verdict = Rules.AtApproval(release, Person("bob"), overrideNow, Now);

        Assert.Equal(held, verdict.Refusal is not null);
    }

    [Theory]
    [InlineData("production", "❄ frozen until Mon 05:00 UTC (nightly batch)")]
    [InlineData("staging", null)]
    public void Status_says_until_when_an_environment_is_frozen(string environment, string? line) =>
        Assert.Equal(line, Rules.Describe(environment, Now));

    [Fact]
    public void Status_names_the_next_window_when_open() =>
        Assert.Equal("next freeze: Tue 03:00 UTC until Tue 05:00 UTC (nightly batch)", Rules.Describe("production", Now.AddHours(3)));
}
