using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

public sealed class CustomChecksTests
{
    private static readonly BakeSettings Settings = new() { Duration = TimeSpan.FromMinutes(10) };

    [Theory]
    // compare, limit, value now, value before, requests, minimum (0: the bake's 100) | verdict
    [InlineData("absolute", 2.0, "1.5", "none", "500", 0, BakeVerdict.Passed)]
    [InlineData("absolute", 2.0, "2.5", "none", "500", 0, BakeVerdict.Failed)]
    [InlineData("absolute", 2.0, "2.5", "none", "50", 0, BakeVerdict.Inconclusive)] // under the bake's minimum
    [InlineData("absolute", 2.0, "2.5", "none", "50", 10, BakeVerdict.Failed)] // the check's own minimum
    [InlineData("absolute", 2.0, "NaN", "none", "500", 0, BakeVerdict.Inconclusive)]
    [InlineData("absolute", 2.0, "none", "none", "500", 0, BakeVerdict.Inconclusive)]
    [InlineData("absolute", 2.0, "error", "none", "500", 0, BakeVerdict.Inconclusive)]
    [InlineData("absolute", 2.0, "1.5", "none", "error", 0, BakeVerdict.Inconclusive)]
    [InlineData("baseline", 1.5, "1.4", "1.0", "500", 0, BakeVerdict.Passed)]
    [InlineData("baseline", 1.5, "1.6", "1.0", "500", 0, BakeVerdict.Failed)]
    [InlineData("baseline", 1.5, "0.1", "0", "500", 0, BakeVerdict.Failed)] // up from nothing
    [InlineData("baseline", 1.5, "0", "0", "500", 0, BakeVerdict.Passed)]
    [InlineData("baseline", 1.5, "1.4", "NaN", "500", 0, BakeVerdict.Inconclusive)]
    [InlineData("baseline", 1.5, "1.4", "none", "500", 0, BakeVerdict.Inconclusive)]
    [InlineData("above", 1.5, "1.4", "1.0", "500", 0, BakeVerdict.Inconclusive)] // an unknown comparison judges nothing
    public void An_operators_check_reads_higher_as_worse_against_its_limit_or_its_baseline(
        string compare, double limit, string now, string before, string requests, int minimum, BakeVerdict verdict)
    {
        var check = new BakeCheckSettings { Name = "queue depth", Query = "max(queue_depth)", Compare = compare, Limit = limit, MinRequests = minimum > 0 ? minimum : null };

        var finding = CustomChecks.Judge(new CheckReading(check, "", Answers.Measure(now), Answers.Measure(before), Answers.Measure(requests)), Settings, Answers.TenMinutes);

        Assert.Equal(verdict, finding.Verdict);
    }

    [Fact]
    public void A_failed_check_against_its_baseline_says_by_what_factor()
    {
        var check = new BakeCheckSettings { Name = "queue depth", Query = "q", Compare = "baseline", Limit = 1.5 };

        var finding = CustomChecks.Judge(new CheckReading(check, "api", Answers.Measure("3"), Answers.Measure("1.2"), Answers.Measure("500")), Settings, Answers.TenMinutes);

        Assert.Equal("queue depth 3 against 1.2 before: ×2.5, ×1.5 allowed", finding.Detail);
    }
}
