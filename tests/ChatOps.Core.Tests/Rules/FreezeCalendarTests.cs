using System.Globalization;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Rules;

public sealed class FreezeCalendarTests
{
    // Fri 18:00 to Mon 08:00 in Berlin; 2026's clocks change on Sun 29 March and Sun 25 October.
    private static readonly FreezeSettings Weekend = new() { Cron = "0 18 * * FRI", Duration = TimeSpan.Parse("2.14:00:00", CultureInfo.InvariantCulture), TimeZone = "Europe/Berlin", Reason = "weekend" };

    private static DateTimeOffset Utc(string at) => DateTimeOffset.Parse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    [Theory]
    [InlineData("2026-03-27T16:59:00Z", null)]                   // Fri 17:59 CET: still open
    [InlineData("2026-03-27T17:00:00Z", "2026-03-30T06:00:00Z")] // Fri 18:00 CET: frozen until Mon 08:00 CEST
    [InlineData("2026-03-29T12:00:00Z", "2026-03-30T06:00:00Z")] // Sunday, after the clocks went forward
    [InlineData("2026-03-30T05:59:00Z", "2026-03-30T06:00:00Z")] // Mon 07:59 CEST
    [InlineData("2026-03-30T06:00:00Z", null)]                   // Mon 08:00 CEST: open, not an hour later
    [InlineData("2026-10-23T16:00:00Z", "2026-10-26T07:00:00Z")] // Fri 18:00 CEST: frozen until Mon 08:00 CET
    [InlineData("2026-10-26T06:30:00Z", "2026-10-26T07:00:00Z")] // Mon 07:30 CET, after the clocks went back
    [InlineData("2026-10-26T07:00:00Z", null)]                   // Mon 08:00 CET: open, not an hour early
    public void A_weekend_freeze_closes_at_monday_eight_local_across_a_DST_change(string now, string? closes)
    {
        var window = FreezeCalendar.Of([Weekend]).At(Utc(now));

        Assert.Equal(closes is null ? null : Utc(closes), window?.Closes);
    }

    [Theory]
    [InlineData("2026-03-26T12:00:00Z", "2026-03-27T17:00:00Z", "2026-03-30T06:00:00Z")]
    [InlineData("2026-10-22T12:00:00Z", "2026-10-23T16:00:00Z", "2026-10-26T07:00:00Z")]
    [InlineData("2026-03-30T06:00:00Z", "2026-04-03T16:00:00Z", "2026-04-06T06:00:00Z")]
    public void The_next_window_opens_and_closes_at_local_times(string now, string opens, string closes)
    {
        var next = FreezeCalendar.Of([Weekend]).Next(Utc(now));

        Assert.Equal((Utc(opens), Utc(closes)), (next!.Opens, next.Closes));
        Assert.Equal("weekend", next.Reason);
    }

    [Fact]
    public void Windows_that_overlap_close_together()
    {
        var calendar = FreezeCalendar.Of(
        [
            new FreezeSettings { Cron = "0 9 * * *", Duration = TimeSpan.FromHours(2), TimeZone = "UTC", Reason = "batch" },
            new FreezeSettings { Cron = "0 10 * * *", Duration = TimeSpan.FromHours(3), TimeZone = "UTC", Reason = "report" },
        ]);

        var window = calendar.At(Utc("2026-12-07T09:30:00Z"));

        Assert.Equal(Utc("2026-12-07T13:00:00Z"), window!.Closes);
    }

    [Theory]
    [InlineData("2026-03-30T06:00:00Z", "2026-03-28T12:00:00Z", "Mon 08:00 Europe/Berlin")]
    [InlineData("2026-04-20T06:00:00Z", "2026-03-28T12:00:00Z", "Mon 20 Apr 08:00 Europe/Berlin")]
    public void A_moment_is_written_in_the_freezes_zone(string at, string now, string written) =>
        Assert.Equal(written, FreezeWindow.When(Utc(at), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"), Utc(now)));

    [Theory]
    [InlineData("0 18 * *", "2.00:00:00", "UTC", "weekend", "Freezes:0:Cron '0 18 * *' is not a five-field cron expression")]
    [InlineData("0 18 * * FRI", "00:00:00", "UTC", "weekend", "Freezes:0:Duration must be between")]
    [InlineData("0 18 * * FRI", "40.00:00:00", "UTC", "weekend", "Freezes:0:Duration must be between")]
    [InlineData("0 18 * * FRI", "2.00:00:00", "Mars/Olympus", "weekend", "Freezes:0:TimeZone 'Mars/Olympus' is not a time zone")]
    [InlineData("0 18 * * FRI", "2.00:00:00", "UTC", " ", "Freezes:0:Reason is missing")]
    public void A_bad_freeze_is_refused_naming_its_key(string cron, string duration, string zone, string reason, string problem)
    {
        var settings = new FreezeSettings { Cron = cron, Duration = TimeSpan.Parse(duration, CultureInfo.InvariantCulture), TimeZone = zone, Reason = reason };

        var problems = FreezeCalendar.Problems("ChatOps:Environments:production:Freezes", [settings]).ToList();

        Assert.Contains(problems, p => p.StartsWith("ChatOps:Environments:production:" + problem, StringComparison.Ordinal));
    }

    [Fact]
    public void A_good_freeze_has_no_problems() =>
        Assert.Empty(FreezeCalendar.Problems("ChatOps:Environments:production:Freezes", [Weekend]));
}
