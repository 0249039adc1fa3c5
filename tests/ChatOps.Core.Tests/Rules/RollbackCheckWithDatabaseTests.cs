using ChatOps.Core.Cards;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Rules;

/// <summary>
/// --with-db restores the backup taken before the newest release only: going --to an older tag, the migrations of the
/// releases in between are still in the restored schema, and the old code meets them.
/// </summary>
public sealed class RollbackCheckWithDatabaseTests : CoreScenario
{
    /// <summary>v1.0.1 (#1), v1.1.0 (#2) and v1.2.0 (#3) released, each with its migration approved and applied.</summary>
    private async Task ThreeReleasesAsync()
    {
        foreach (var (tag, id) in new[] { ("v1.0.1", 1L), ("v1.1.0", 2L), ("v1.2.0", 3L) })
        {
            await SayAsync(Alice, $"/release {tag}");
            await SayAsync(Bob, $"/approve {id}");
            Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
        }
    }

    [Fact]
    public async Task A_check_to_an_older_tag_with_db_is_unsafe_when_a_release_in_between_migrated_before_the_backup()
    {
        await ThreeReleasesAsync();

        var check = await SayAsync(Alice, "/rollback --check --to v1.0.1 --with-db");

        Assert.Contains("Unsafe:", check.Text);
        Assert.Contains("#2", check.Text);
        Assert.Contains("backup of #3", check.Text);
    }

    [Fact]
    public async Task A_check_to_the_previous_tag_with_db_is_safe_as_the_backup_predates_the_only_migration_since()
    {
        await ThreeReleasesAsync();

        var check = await SayAsync(Alice, "/rollback --check --with-db");

        Assert.Contains("Safe:", check.Text);
    }

    [Fact]
    public async Task The_confirmation_of_a_rollback_to_an_older_tag_with_db_warns_that_the_restore_keeps_the_migrations_in_between()
    {
        await ThreeReleasesAsync();

        await SayAsync(Alice, "/rollback --to v1.0.1 --with-db");

        var question = Core.Surface.Notices.Last().Text;
        Assert.Contains("goes back to v1.0.1", question);
        Assert.Contains("⚠️ --with-db restores the backup of #3", question);
    }
}
