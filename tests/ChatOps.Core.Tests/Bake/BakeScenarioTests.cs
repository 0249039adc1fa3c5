using ChatOps.Core.Bake;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Bake;

/// <summary>A release's bake run by the real core on a fake clock: ten minutes pass in a few calls, never in real time.</summary>
public sealed class BakeScenarioTests : CoreScenario
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly FakeMetrics _metrics;

    public BakeScenarioTests()
    {
        // Nothing moves the clock while a release runs, so the deploy starts at the clock's start: the baseline's time.
        _metrics = new FakeMetrics(Clock.GetUtcNow());
        Metrics = _metrics;
    }

    protected override void Configure(ChatOpsSettings settings)
    {
        foreach (var environment in settings.Environments.Values)
            environment.Bake = new BakeSettings { Duration = TimeSpan.FromMinutes(10), Interval = Minute };
    }

    [Fact]
    public async Task A_healthy_release_rests_in_its_bake_and_is_released_when_the_bake_passes_at_its_deadline()
    {
        await ReleaseThroughChecksAsync();
        Assert.Equal(ReleaseState.Bake, (await ReleaseAsync(1)).State);

        await PassAsync(TimeSpan.FromMinutes(9));
        var baking = await ReleaseAsync(1);
        await PassAsync(Minute);

        Assert.Equal(ReleaseState.Bake, baking.State);
        Assert.Equal("1 min left of 10 min · api: 5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests · orchestrator: 5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests",
            baking.Step(nameof(ReleaseState.Bake)).Detail);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task Waking_a_resting_bake_before_its_next_evaluation_asks_the_metrics_nothing()
    {
        await ReleaseThroughChecksAsync();
        await PassAsync(Minute);
        var asked = _metrics.Asked;

        await PassAsync(TimeSpan.FromSeconds(30));

        Assert.True(asked > 0);
        Assert.Equal(asked, _metrics.Asked);
    }

    [Fact]
    public async Task A_bad_release_fails_its_bake_at_once_saying_which_figure_failed_and_is_rolled_back_with_auto_rollback()
    {
        await RestartWithAsync(settings => settings.Environments.Values.ToList().ForEach(e => e.AutoRollback = true));
        _metrics.After = new TrafficFigures(1842, 120, 0.640);
        await ReleaseThroughChecksAsync();

        await PassAsync(Minute);

        var release = await ReleaseAsync(1);
        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.Equal(ReleaseState.Bake, release.StoppedAt);
        Assert.Contains("api: 5xx 6.5 % against 0.3 % before: up 6.2 points, 1 point allowed", release.Error);
        Assert.Contains(await Core.Store.Releases.ListAsync(release.Environment, activeOnly: false, limit: 10, CancellationToken.None), r => r.Kind == ReleaseKind.Rollback);
    }

    [Fact]
    public async Task A_quiet_release_is_never_released_by_itself_and_waits_for_a_person_who_can_accept_it()
    {
        _metrics.After = new TrafficFigures(12, 0, double.NaN);
        await ReleaseThroughChecksAsync();

        await PassAsync(TimeSpan.FromMinutes(10));
        var waiting = await ReleaseAsync(1);
        await SayAsync(Bob, "/resume 1");

        Assert.Equal(ReleaseState.NeedsAttention, waiting.State);
        Assert.Contains("not enough traffic to judge: 12 requests in 10 min (100 needed)", waiting.Error);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task The_bake_keeps_the_deadline_it_stored_at_its_start()
    {
        await ReleaseThroughChecksAsync();
        var deadline = (await ReleaseAsync(1)).Outputs.Bake!.Deadline;

        await PassAsync(TimeSpan.FromMinutes(4));

        Assert.Equal(Clock.GetUtcNow().AddMinutes(6), deadline);
        Assert.Equal(deadline, (await ReleaseAsync(1)).Outputs.Bake!.Deadline);
    }

    [Fact]
    public async Task An_approver_skips_a_bake_with_a_reason_and_the_release_is_released_at_once()
    {
        await ReleaseThroughChecksAsync();

        var refused = await SayAsync(Alice, "/bake 1 --skip \"watched by hand\"");
        var skipped = await SayAsync(Bob, "/bake 1 --skip \"hotfix, watched by hand\"");

        var release = await ReleaseAsync(1);
        Assert.True(refused.IsRefusal, refused.Text);
        Assert.False(skipped.IsRefusal, skipped.Text);
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal($"bake skipped by {Bob.Id}: hotfix, watched by hand", release.Step(nameof(ReleaseState.Bake)).Detail);
    }

    [Fact]
    public async Task A_releaser_marks_a_baking_release_faulty_and_it_fails_and_is_rolled_back_with_auto_rollback()
    {
        await RestartWithAsync(settings => settings.Environments.Values.ToList().ForEach(e => e.AutoRollback = true));
        await ReleaseThroughChecksAsync();

        var marked = await SayAsync(Alice, "/bake 1 --faulty \"checkout errors on the dashboard\"");

        var release = await ReleaseAsync(1);
        Assert.False(marked.IsRefusal, marked.Text);
        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.Equal($"marked faulty by {Alice.Id} during the bake: checkout errors on the dashboard", release.Error);
        Assert.Contains(await Core.Store.Releases.ListAsync(release.Environment, activeOnly: false, limit: 10, CancellationToken.None), r => r.Kind == ReleaseKind.Rollback);
    }

    [Fact]
    public async Task A_bake_cannot_be_ended_once_the_release_has_left_it()
    {
        await ReleaseThroughChecksAsync();
        await PassAsync(TimeSpan.FromMinutes(10));

        var late = await SayAsync(Bob, "/bake 1 --skip \"too late\"");

        Assert.True(late.IsRefusal);
        Assert.Contains("is not baking (it is at Released)", late.Text);
    }

    [Fact]
    public async Task The_card_of_a_baking_release_offers_mark_faulty_which_fails_the_bake()
    {
        await ReleaseThroughChecksAsync();
        var button = CardButton(CardAction.MarkFaulty);

        var pressed = await PressAsync(Alice, button);

        var release = await ReleaseAsync(1);
        Assert.False(pressed.IsRefusal, pressed.Text);
        Assert.Equal(ReleaseState.Failed, release.State);
        Assert.Equal($"marked faulty by {Alice.Id} during the bake: the card's Mark faulty button", release.Error);
    }

    [Fact]
    public async Task A_bake_that_cannot_judge_offers_accept_beside_roll_back_and_accept_releases_it()
    {
        _metrics.After = new TrafficFigures(12, 0, double.NaN);
        await ReleaseThroughChecksAsync();
        await PassAsync(TimeSpan.FromMinutes(10));
        var card = Core.Surface.Cards.Last(c => c.ReleaseId == 1);

        var accepted = await PressAsync(Bob, card.Buttons.Single(b => b.Action == CardAction.Accept).Token);

        Assert.Contains(card.Buttons, b => b.Action == CardAction.Rollback);
        Assert.DoesNotContain(card.Buttons, b => b.Action == CardAction.MarkFaulty);
        Assert.False(accepted.IsRefusal, accepted.Text);
        Assert.Equal(ReleaseState.Released, (await ReleaseAsync(1)).State);
    }

    [Fact]
    public async Task Roll_back_on_the_card_of_a_bake_that_could_not_judge_rolls_the_release_back()
    {
        _metrics.After = new TrafficFigures(12, 0, double.NaN);
        await ReleaseThroughChecksAsync();
        await PassAsync(TimeSpan.FromMinutes(10));

        await PressAsync(Alice, CardButton(CardAction.Rollback));
        await PressYesAsync(Alice);

        Assert.Contains(await Core.Store.Releases.ListAsync((await ReleaseAsync(1)).Environment, activeOnly: false, limit: 10, CancellationToken.None), r => r.Kind == ReleaseKind.Rollback);
    }

    [Fact]
    public async Task A_bake_that_cannot_judge_calls_the_approvers_with_accept_and_roll_back()
    {
        _metrics.After = new TrafficFigures(12, 0, double.NaN);
        await ReleaseThroughChecksAsync();

        await PassAsync(TimeSpan.FromMinutes(10));

        var call = Core.Surface.Notices.Last();
        Assert.Contains(Bob, call.Mentions);
        Assert.Equal([CardAction.Accept, CardAction.Rollback], call.Buttons.Select(b => b.Action));
        Assert.Contains("not enough traffic to judge", call.Text);
    }

    [Fact]
    public async Task A_failed_bake_without_auto_rollback_calls_the_approvers_with_roll_back()
    {
        _metrics.After = new TrafficFigures(1842, 120, 0.640);
        await ReleaseThroughChecksAsync();

        await PassAsync(Minute);

        var call = Core.Surface.Notices.Last();
        Assert.Equal(ReleaseState.Failed, (await ReleaseAsync(1)).State);
        Assert.Contains(Bob, call.Mentions);
        Assert.Equal([CardAction.Rollback], call.Buttons.Select(b => b.Action));
        Assert.Contains("5xx 6.5 % against 0.3 % before", call.Text);
    }

    private string CardButton(CardAction action) =>
        Core.Surface.Cards.Last(c => c.ReleaseId == 1).Buttons.Single(b => b.Action == action).Token;

    private async Task<BotReply> PressAsync(ChatUser user, string token)
    {
        var reply = await Core.Bot.PressAsync(new ButtonPress(user, SignalSurface.Channel, token), CancellationToken.None);
        await Core.WhenIdleAsync();
        return reply;
    }

    private async Task ReleaseThroughChecksAsync()
    {
        await SayAsync(Alice, "/release v1.1.0");
        await SayAsync(Bob, "/approve 1");
    }

    // The clock moves a minute at a time (at most), and after each the sweep wakes the resting releases, as the host's does.
    private async Task PassAsync(TimeSpan span)
    {
        while (span > TimeSpan.Zero)
        {
            var step = span < Minute ? span : Minute;
            Clock.Advance(step);
            span -= step;
            await Core.Get<ReleaseRecovery>().RecoverAsync(CancellationToken.None);
            await Core.WhenIdleAsync();
        }
    }
}
