using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Commands;

/// <summary>A second stop asked for while the first waits for its safe point: the reply says what is stored, never more.</summary>
public sealed class LaterStopRequestTests : CoreScenario
{
    private async Task<(Decision First, Decision Second)> TwoRollbacksDuringDeployAsync(bool firstWithDatabase, bool secondWithDatabase)
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");
        await SayAsync(Alice, "/release v1.1.0");
        Decision? first = null, second = null;
        var asked = 0;
        Core.Surface.BeforeCard = async card =>
        {
            if (card is { ReleaseId: 2, State: ReleaseState.Deploy } && Interlocked.Increment(ref asked) == 1)
            {
                var starts = Core.Get<RollbackCommands>();
                first = await starts.StartRollbackAsync(Env, null, firstWithDatabase, Alice, SignalSurface.Channel, CancellationToken.None);
                second = await starts.StartRollbackAsync(Env, null, secondWithDatabase, Alice, SignalSurface.Channel, CancellationToken.None);
            }
        };
        await SayAsync(Bob, "/approve 2");
        await Core.WhenIdleAsync();
        return (first!, second!);
    }

    private async Task<Release> TheRollbackAsync() =>
        (await Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None)).Single(r => r.Kind == ReleaseKind.Rollback);

    [Fact]
    public async Task A_rollback_with_db_asked_after_a_rollback_says_the_first_request_stands_and_promises_no_restore()
    {
        var (_, second) = await TwoRollbacksDuringDeployAsync(firstWithDatabase: false, secondWithDatabase: true);

        Assert.Contains("already", second.Message);
        Assert.Contains("without the database", second.Message);
        Assert.DoesNotContain("the database after its own approval", second.Message);
        Assert.False((await TheRollbackAsync()).WithDatabase);
    }

    [Fact]
    public async Task A_rollback_asked_after_a_rollback_with_db_says_the_database_still_follows()
    {
        var (_, second) = await TwoRollbacksDuringDeployAsync(firstWithDatabase: true, secondWithDatabase: false);

        Assert.Contains("the database after its own approval", second.Message);
        Assert.True((await TheRollbackAsync()).WithDatabase);
    }
}
