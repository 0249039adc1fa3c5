using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

public sealed class BakeTurnTests
{
    private static readonly DateTimeOffset DeployStart = Answers.DeployStart;
    private static readonly DateTimeOffset Start = DeployStart.AddMinutes(2);
    private static readonly BakeSettings TenMinutes = new() { Duration = TimeSpan.FromMinutes(10), MinRequests = 0 };
    private static readonly BakeTarget[] Api = [new("api", "my-api")];
    private static readonly BakeMachine[] Healthy = [new("api", "m1", "started", true), new("api", "m2", "started", true)];

    [Fact]
    public async Task The_first_turn_starts_the_window_and_asks_nothing()
    {
        var metrics = new CountingMetrics("0.1");

        var turn = await new BakeTurn(metrics).TakeAsync(null, DeployStart, Api, TenMinutes, Start, Machines(Healthy), CancellationToken.None);

        Assert.Equal(BakeRecord.Start(DeployStart, Start, TimeSpan.FromMinutes(10)), turn.Record);
        Assert.Equal(BakeMove.Wait, turn.Next.Move);
        Assert.Equal(Start.AddMinutes(1), turn.Next.WakeAt);
        Assert.Equal(0, metrics.Asked);
    }

    [Fact]
    public async Task A_turn_before_the_next_evaluation_is_due_costs_no_query()
    {
        var metrics = new CountingMetrics("0.1");
        var stored = BakeRecord.Start(DeployStart, Start, TimeSpan.FromMinutes(10));

        var turn = await new BakeTurn(metrics).TakeAsync(stored, DeployStart, Api, TenMinutes, Start.AddSeconds(45), Machines(Healthy), CancellationToken.None);

        Assert.False(turn.Evaluated);
        Assert.Equal(0, metrics.Asked);
        Assert.StartsWith("10 min left of 10 min", turn.Next.Message);
    }

    [Fact]
    public async Task A_resumed_bake_keeps_its_stored_deadline()
    {
        var stored = BakeRecord.Start(DeployStart, Start, TimeSpan.FromMinutes(10)) with { LastEvaluatedAt = Start.AddMinutes(9) };

        var turn = await new BakeTurn(new CountingMetrics("0.1")).TakeAsync(stored, DeployStart, Api, TenMinutes, Start.AddMinutes(10), Machines(Healthy), CancellationToken.None);

        Assert.Equal(stored.Deadline, turn.Record.Deadline);
        Assert.Equal(BakeMove.Pass, turn.Next.Move);
    }

    [Fact]
    public async Task A_machine_failing_its_checks_fails_the_bake_whatever_the_figures()
    {
        var stored = BakeRecord.Start(DeployStart, Start, TimeSpan.FromMinutes(10));

        var turn = await new BakeTurn(new CountingMetrics("0.1")).TakeAsync(
            stored, DeployStart, Api, TenMinutes, Start.AddMinutes(1), Machines([Healthy[0], Healthy[1] with { Healthy = false }]), CancellationToken.None);

        Assert.Equal(BakeMove.Fail, turn.Next.Move);
        Assert.Contains("machine m2 fails its checks", turn.Next.Message);
    }

    [Fact]
    public async Task Without_a_metrics_store_the_bake_watches_the_machines_until_its_deadline()
    {
        var stored = BakeRecord.Start(DeployStart, Start, TimeSpan.FromMinutes(10)) with { LastEvaluatedAt = Start.AddMinutes(9) };

        var turn = await new BakeTurn(null).TakeAsync(stored, DeployStart, Api, TenMinutes, Start.AddMinutes(10), Machines(Healthy), CancellationToken.None);

        Assert.Equal(BakeMove.Pass, turn.Next.Move);
    }

    private static Func<CancellationToken, Task<IReadOnlyList<BakeMachine>>> Machines(IReadOnlyList<BakeMachine> machines) =>
        _ => Task.FromResult(machines);

    // Every query answers the same number; counts how often it was asked.
    private sealed class CountingMetrics(string cell) : IMetricsQuery
    {
        private int _asked;

        public int Asked => _asked;

        public Task<MetricsAnswer> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            return Task.FromResult(Answers.Of(cell));
        }
    }
}
