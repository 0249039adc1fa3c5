using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

public sealed class BakeWatchTests
{
    private static readonly DateTimeOffset DeployStart = Answers.DeployStart;
    private static readonly DateTimeOffset Start = DeployStart.AddMinutes(2);
    private static readonly BakeRecord TenMinutes = BakeRecord.Start(DeployStart, Start, TimeSpan.FromMinutes(10));
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Theory]
    // seconds since the bake started, verdict of the evaluation | move
    [InlineData(60, BakeVerdict.Passed, BakeMove.Wait)]
    [InlineData(60, BakeVerdict.Inconclusive, BakeMove.Wait)] // early: the first minute often has no samples
    [InlineData(60, BakeVerdict.Failed, BakeMove.Fail)] // a failure does not wait for the deadline
    [InlineData(599, BakeVerdict.Passed, BakeMove.Wait)]
    [InlineData(600, BakeVerdict.Passed, BakeMove.Pass)]
    [InlineData(600, BakeVerdict.Inconclusive, BakeMove.Ask)] // never a pass
    [InlineData(600, BakeVerdict.Failed, BakeMove.Fail)]
    [InlineData(3600, BakeVerdict.Passed, BakeMove.Pass)] // resumed long after a crash: the stored deadline stands
    public void The_bake_fails_at_once_passes_only_at_its_deadline_and_asks_when_it_cannot_judge(int seconds, BakeVerdict verdict, BakeMove move)
    {
        var next = BakeWatch.After(TenMinutes, Report(verdict), Start.AddSeconds(seconds), Minute);

        Assert.Equal(move, next.Move);
    }

    [Theory]
    [InlineData(0, 60)] // evaluated at the start: next a minute later
    [InlineData(570, 600)] // never past the deadline
    public void The_next_evaluation_is_an_interval_later_and_never_past_the_deadline(int seconds, int wakeSeconds)
    {
        var next = BakeWatch.After(TenMinutes, Report(BakeVerdict.Passed), Start.AddSeconds(seconds), Minute);

        Assert.Equal(Start.AddSeconds(wakeSeconds), next.WakeAt);
    }

    [Fact]
    public void A_resumed_bake_is_due_where_it_left_off_with_the_same_deadline()
    {
        var stored = TenMinutes.With(Report(BakeVerdict.Passed), Start.AddMinutes(4));

        Assert.Equal(Start.AddMinutes(5), stored.DueAt(Minute));
        Assert.Equal(TenMinutes.Deadline, stored.Deadline);
        Assert.Equal(new BakeWindow(DeployStart, Start, Start.AddMinutes(10)), stored.WindowAt(Start.AddMinutes(30)));
    }

    [Fact]
    public void The_card_line_shows_the_time_left_and_the_latest_figures()
    {
        var report = BakeReport.Of([new("5xx", "api", BakeVerdict.Passed, "")], ["5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests"]);

        var next = BakeWatch.After(TenMinutes, report, Start.AddSeconds(130), Minute);

        Assert.Equal("8 min left of 10 min · 5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests", next.Message);
    }

    [Fact]
    public void An_inconclusive_end_asks_the_approvers_and_says_why()
    {
        var report = BakeReport.Of([new("traffic", "api", BakeVerdict.Inconclusive, "not enough traffic to judge: 12 requests in 10 min (100 needed)")], []);

        var next = BakeWatch.After(TenMinutes, report, Start.AddMinutes(10), Minute);

        Assert.Equal("The bake cannot judge this release: api: not enough traffic to judge: 12 requests in 10 min (100 needed). Accept it, or roll it back.", next.Message);
    }

    private static BakeReport Report(BakeVerdict verdict) => BakeReport.Of([new("5xx", "api", verdict, "figures")], []);
}
