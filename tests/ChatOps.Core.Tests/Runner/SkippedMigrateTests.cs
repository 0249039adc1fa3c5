using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Tests.Runner;

/// <summary>A Migrate that ran nothing (none configured, or nothing pending) left production as it was.</summary>
public sealed class SkippedMigrateTests : CoreScenario
{
    [Fact]
    public async Task A_release_that_fails_after_a_skipped_migrate_did_not_change_production()
    {
        await RestartWithAsync(s =>
        {
            s.Environments[Env].Migrations.App = "";
            s.Environments[Env].DatabaseUrl = "postgres://target.internal/app";
        });
        Core.Database.MissingTables = ["runs"];

        await SayAsync(Alice, "/release v1.1.0");

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.Equal(ReleaseState.VerifySchema, release.StoppedAt);
        Assert.Equal(StepStatus.Skipped, release.Step(nameof(ReleaseState.Migrate)).Status);
        Assert.False(release.ChangedProduction);
        Assert.DoesNotContain(Core.Surface.Cards.Last(c => c.ReleaseId == 1).Buttons, b => b.Action == CardAction.Rollback);
        Assert.Contains("Production was not changed", Core.Surface.Notices.Last().Text);
        var history = await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None);
        var figures = DeliveryFigures.Of(Env, history, Clock.GetUtcNow(), TimeSpan.FromDays(30));
        Assert.Equal(0, figures.Changes);
        Assert.Equal(0, figures.FailedChanges);
    }
}
