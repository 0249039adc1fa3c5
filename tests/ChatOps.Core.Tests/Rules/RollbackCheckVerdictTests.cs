namespace ChatOps.Core.Tests.Rules;

/// <summary>/rollback --check reads the migrations since the target with the verdicts their SQL earned at the approval.</summary>
public sealed class RollbackCheckVerdictTests : CoreScenario
{
    private async Task TwoReleasesAsync()
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 2");
    }

    [Fact]
    public async Task A_rollback_over_a_destructive_migration_is_unsafe_and_names_the_revision_the_old_image_does_not_know()
    {
        await TwoReleasesAsync();

        var check = await SayAsync(Alice, "/rollback --check");

        Assert.Contains("f6e5d4 webhook_events retention (#2, destructive: deletes rows of webhook_events)", check.Text);
        Assert.Contains("Old code on a newer schema: revision f6e5d4 is unknown to v1.0.1.", check.Text);
        Assert.Contains("Unsafe:", check.Text);
    }

    [Fact]
    public async Task A_rollback_over_additive_migrations_only_is_safe_without_a_restore()
    {
        Core.Fleet.Sql = Core.Fleet.Sql.Replace("DELETE FROM webhook_events WHERE received_at < now() - interval '30 days';", "CREATE INDEX ix_webhook_events_received_at ON webhook_events (received_at);", StringComparison.Ordinal);
        await TwoReleasesAsync();

        var check = await SayAsync(Alice, "/rollback --check");

        Assert.Contains("Safe: the migrations since v1.0.1 are additive only, so its images can go back without a restore.", check.Text);
    }
}
