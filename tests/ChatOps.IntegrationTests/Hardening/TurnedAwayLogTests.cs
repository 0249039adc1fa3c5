using ChatOps.Host.ChatLanes;
using ChatOps.IntegrationTests.Clients;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.IntegrationTests.Hardening;

public sealed class TurnedAwayLogTests
{
    [Fact]
    public void A_flood_of_turned_away_requests_is_one_log_line_a_period_with_how_many()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        using var capture = new LogCapture();
        var turnedAway = new TurnedAwayLog("Slack work queue", clock, capture.CreateLogger("test"));

        for (var i = 0; i < 1000; i++)
            turnedAway.Add("U1");
        clock.Advance(TurnedAwayLog.Period);
        turnedAway.Add("U2");

        Assert.Equal(
        [
            "Warning: Slack work queue is full: turned away 1 request(s) since the last such line, the latest from U1",
            "Warning: Slack work queue is full: turned away 1000 request(s) since the last such line, the latest from U2",
        ], capture.Lines);
    }
}
