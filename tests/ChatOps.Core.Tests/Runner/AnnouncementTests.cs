using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;
using ChatOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests.Runner;

/// <summary>The new messages beside the card: the call to the approvers, the reminder, the closing message.</summary>
public sealed class AnnouncementTests : CoreScenario
{
    private static readonly ChatUser Carol = new("test:carol");

    protected override void Configure(Settings.ChatOpsSettings settings)
    {
        // The requester is an approver too: she must not be called to approve her own release.
        settings.Access.Approvers.Add(Alice.Id);
        settings.Access.Approvers.Add(Carol.Id);
    }

    private List<Notice> Notices => [.. Core.Surface.Notices];

    [Fact]
    public async Task An_opened_gate_calls_every_approver_but_the_requester_with_what_and_until_when()
    {
        await SayAsync(Alice, "/release v1.1.0");

        var call = Assert.Single(Notices);
        Assert.Equal([Bob, Carol], call.Mentions);
        Assert.Contains("waits for your approval to run", call.Text, StringComparison.Ordinal);
        Assert.Contains("03:30 UTC (in 30 min)", call.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_approvers_are_reminded_once_at_three_quarters_of_the_timeout()
    {
        await SayAsync(Alice, "/release v1.1.0");
        var expiry = Core.Get<ApprovalExpiry>();

        Clock.Advance(TimeSpan.FromMinutes(20));
        await expiry.ExpireAsync(CancellationToken.None);
        Assert.Single(Notices);

        Clock.Advance(TimeSpan.FromMinutes(3));
        await expiry.ExpireAsync(CancellationToken.None);
        await expiry.ExpireAsync(CancellationToken.None);

        Assert.Equal(2, Notices.Count);
        Assert.StartsWith("⏰ Reminder", Notices[1].Text, StringComparison.Ordinal);
        Assert.Contains("03:30 UTC (in 7 min)", Notices[1].Text, StringComparison.Ordinal);
        Assert.Equal([Bob, Carol], Notices[1].Mentions);
    }

    [Fact]
    public async Task An_expired_gate_ends_with_one_new_message_to_the_requester_and_the_approvers()
    {
        await SayAsync(Alice, "/release v1.1.0");

        Clock.Advance(TimeSpan.FromMinutes(31));
        await Core.Get<ApprovalExpiry>().ExpireAsync(CancellationToken.None);
        await Core.Get<ApprovalExpiry>().ExpireAsync(CancellationToken.None);

        var closing = Notices.Where(n => n.Text.StartsWith("⏹", StringComparison.Ordinal)).ToList();
        var notice = Assert.Single(closing);
        Assert.Equal([Alice, Bob, Carol], notice.Mentions);
        Assert.Contains("The approval expired", notice.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_released_release_tells_its_requester_once_with_the_total_time()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");

        var closing = Assert.Single(Notices, n => n.Text.StartsWith("✅", StringComparison.Ordinal));
        Assert.Equal([Alice], closing.Mentions);
        Assert.Contains("is released, in", closing.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_verify_tells_the_requester_the_step_the_error_and_offers_roll_back()
    {
        Core.Fleet.BrokenTags.TryAdd("v1.1.0", 0);
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");

        var closing = Assert.Single(Notices, n => n.Text.StartsWith("❌", StringComparison.Ordinal));
        Assert.Equal([Alice], closing.Mentions);
        Assert.Contains("stopped at Verify", closing.Text, StringComparison.Ordinal);
        Assert.Contains("503", closing.Text, StringComparison.Ordinal);
        Assert.Equal(CardAction.Rollback, Assert.Single(closing.Buttons).Action);
    }
}

/// <summary>The card's line of a running step: elapsed time, what it reported, and a stall said plainly.</summary>
public sealed class RunningStepLineTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 3, 0, 0, TimeSpan.Zero);

    private static ChatOps.Core.Cards.CardLine DeployLine(DateTimeOffset startedAt, DateTimeOffset? progressAt)
    {
        var release = new Release { Id = 1, Tag = "v1.1.0", Environment = "env0", Requester = "test:alice", State = ReleaseState.Deploy, CreatedAt = startedAt };
        var deploy = release.Step(nameof(ReleaseState.Deploy));
        (deploy.Status, deploy.StartedAt, deploy.ProgressAt, deploy.Detail) = (StepStatus.Running, startedAt, progressAt, "api machine 2/3 → v1.1.0");
        return CardRenderer.Render(release, [], Now).Lines.Single(l => l.Step == "Deploy");
    }

    [Fact]
    public void A_running_step_shows_its_elapsed_time_and_its_progress()
    {
        var line = DeployLine(Now.AddSeconds(-75), Now.AddSeconds(-5));

        Assert.Equal("1m15s", line.Timing);
        Assert.Equal("api machine 2/3 → v1.1.0", line.Detail);
    }

    [Fact]
    public void A_running_step_quiet_for_longer_than_expected_says_so()
    {
        var line = DeployLine(Now.AddMinutes(-10), Now.AddMinutes(-4));

        Assert.Contains("no progress for 4m00s, longer than expected", line.Detail, StringComparison.Ordinal);
    }
}
