using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Tests.Domain;

public sealed class ChatTimeTests
{
    private static readonly DateTimeOffset Moment = new(2026, 12, 1, 3, 30, 5, TimeSpan.Zero);

    [Fact]
    public void A_moment_is_written_in_utc_with_its_zone_whatever_offset_it_came_with()
    {
        var inParis = Moment.ToOffset(TimeSpan.FromHours(1));

        Assert.Equal("2026-12-01 03:30 UTC", ChatTime.Minute(inParis));
        Assert.Equal("2026-12-01 03:30:05 UTC", ChatTime.Second(inParis));
    }

    [Fact]
    public void Rewrite_finds_each_written_moment_with_its_instant_and_leaves_the_rest()
    {
        var text = $"locked since {ChatTime.Minute(Moment)} until {ChatTime.Second(Moment.AddHours(2))}; v1.2.3 at 03:30 stays";
        var found = new List<(DateTimeOffset At, bool Seconds, string Written)>();

        var rewritten = ChatTime.Rewrite(text, (at, seconds, written) =>
        {
            found.Add((at, seconds, written));
            return "<moment>";
        });

        Assert.Equal("locked since <moment> until <moment>; v1.2.3 at 03:30 stays", rewritten);
        Assert.Equal(
            [(Moment.AddSeconds(-5), false, "2026-12-01 03:30 UTC"), (Moment.AddHours(2), true, "2026-12-01 05:30:05 UTC")],
            found);
    }

    [Fact]
    public void A_notice_time_says_when_and_how_far_away()
    {
        Assert.Equal("2026-12-01 03:30 UTC (in 30 min)", Notices.At(Moment.AddSeconds(-5), Moment.AddMinutes(-30)));
    }

    [Fact]
    public void A_card_at_the_gate_says_when_the_gate_expires()
    {
        var release = new Release
        {
            Id = 7,
            Kind = ReleaseKind.Release,
            Environment = "production",
            Tag = "v0.2.0",
            Requester = "test:alice",
            State = ReleaseState.AwaitApproval,
            BotVersion = "test",
            CreatedAt = Moment,
            UpdatedAt = Moment,
        };
        var approve = new ActionToken("t", 7, CardAction.Approve, "approval-1", null, Moment, Moment.AddMinutes(30));

        var card = CardRenderer.Render(release, [approve], Moment);

        Assert.EndsWith("Expires 2026-12-01 04:00 UTC.", card.Summary);
    }
}
