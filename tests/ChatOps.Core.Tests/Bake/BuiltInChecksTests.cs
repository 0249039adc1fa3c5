using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

public sealed class BuiltInChecksTests
{
    private static readonly BakeSettings Settings = new() { Duration = TimeSpan.FromMinutes(10) };

    [Theory]
    // requests, 5xx, p95 now | requests, 5xx, p95 before | verdict
    [InlineData("1842", "7", "0.212", "1700", "5", "0.190", BakeVerdict.Passed)]
    [InlineData("1842", "none", "0.200", "1700", "none", "0.190", BakeVerdict.Passed)] // no 5xx series: none answered, zero
    [InlineData("1842", "120", "0.200", "1700", "5", "0.190", BakeVerdict.Failed)] // 6.5 % against 0.3 %
    [InlineData("1842", "30", "0.200", "1700", "5", "0.190", BakeVerdict.Failed)] // 1.6 % against 0.3 %: 1.3 points up
    [InlineData("1842", "20", "0.200", "1700", "5", "0.190", BakeVerdict.Passed)] // 1.1 % against 0.3 %: within the point
    [InlineData("1842", "7", "0.640", "1700", "5", "0.190", BakeVerdict.Failed)] // three times slower
    [InlineData("1842", "7", "0.008", "1700", "5", "0.005", BakeVerdict.Passed)] // 60 % slower, but 3 ms is noise
    [InlineData("12", "none", "NaN", "1700", "5", "0.190", BakeVerdict.Inconclusive)] // a quiet release
    [InlineData("0", "none", "NaN", "1700", "5", "0.190", BakeVerdict.Inconclusive)]
    [InlineData("NaN", "none", "NaN", "1700", "5", "0.190", BakeVerdict.Inconclusive)]
    [InlineData("none", "none", "none", "1700", "5", "0.190", BakeVerdict.Inconclusive)] // no series at all
    [InlineData("error", "error", "error", "1700", "5", "0.190", BakeVerdict.Inconclusive)] // Prometheus kept failing
    [InlineData("1842", "error", "0.200", "1700", "5", "0.190", BakeVerdict.Inconclusive)]
    [InlineData("1842", "NaN", "0.200", "1700", "5", "0.190", BakeVerdict.Inconclusive)]
    [InlineData("1842", "7", "NaN", "1700", "5", "0.190", BakeVerdict.Inconclusive)]
    [InlineData("1842", "7", "+Inf", "1700", "5", "0.190", BakeVerdict.Inconclusive)]
    [InlineData("1842", "7", "0.200", "1700", "5", "NaN", BakeVerdict.Inconclusive)]
    [InlineData("1842", "7", "0.200", "30", "0", "0.190", BakeVerdict.Inconclusive)] // too little traffic before the deploy
    [InlineData("1842", "7", "0.200", "none", "none", "none", BakeVerdict.Inconclusive)] // a new app: nothing before
    public void A_service_passes_only_on_enough_traffic_and_known_figures_within_their_margins(
        string requests, string errors, string p95, string beforeRequests, string beforeErrors, string beforeP95, BakeVerdict verdict)
    {
        var reading = new ServiceReading("api", Answers.Traffic(requests, errors, p95), Answers.Traffic(beforeRequests, beforeErrors, beforeP95));

        var report = BakeReport.Of([.. BuiltInChecks.Judge(reading, Settings, Answers.TenMinutes)], [reading.Figures]);

        Assert.Equal(verdict, report.Verdict);
    }

    [Fact]
    public void The_figures_line_reads_each_figure_beside_its_baseline()
    {
        var reading = new ServiceReading("api", Answers.Traffic("1842", "7", "0.212"), Answers.Traffic("1700", "5", "0.190"));

        Assert.Equal("5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests", reading.Figures);
    }

    [Fact]
    public void A_failed_bake_says_which_figure_failed_and_by_how_much()
    {
        var reading = new ServiceReading("api", Answers.Traffic("1842", "120", "0.640"), Answers.Traffic("1700", "5", "0.190"));

        var report = BakeReport.Of([.. BuiltInChecks.Judge(reading, Settings, Answers.TenMinutes)], []);

        Assert.Equal(
            "api: 5xx 6.5 % against 0.3 % before: up 6.2 points, 1 point allowed; api: p95 640 ms against 190 ms before: up 237 %, 25 % allowed",
            report.Reason);
    }

    [Fact]
    public void A_quiet_release_says_how_little_traffic_there_was_in_how_long()
    {
        var reading = new ServiceReading("api", Answers.Traffic("12", "none", "NaN"), Answers.Traffic("1700", "5", "0.190"));

        var report = BakeReport.Of([.. BuiltInChecks.Judge(reading, Settings, Answers.TenMinutes)], []);

        Assert.Equal(BakeVerdict.Inconclusive, report.Verdict);
        Assert.Equal("api: not enough traffic to judge: 12 requests in 10 min (100 needed)", report.Reason);
    }

    [Fact]
    public void Nothing_to_judge_is_inconclusive_not_passed()
    {
        Assert.Equal(BakeVerdict.Inconclusive, BakeReport.Of([], []).Verdict);
    }
}
