using ChatOps.Host.ChatLanes;
using ChatOps.IntegrationTests.Harness;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.IntegrationTests.Hardening;

/// <summary>Issue 14, item 9: a lane per chat lives while the chat is being talked to, not for every chat ever seen.</summary>
public sealed class CardLanesTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_lanes_of_chats_that_were_answered_are_dropped_once_their_spacing_is_over()
    {
        var platform = new Platform();
        var lanes = Lanes(platform);

        await Task.WhenAll(Enumerable.Range(1, 200).Select(chat => lanes.UseAsync(chat, lane => lane.SendAsync(_ => Task.FromResult(chat), CancellationToken.None))));
        Assert.Equal(200, lanes.Count);
        lanes.Sweep();
        Assert.Equal(200, lanes.Count);

        _clock.Advance(Interval);
        lanes.Sweep();

        Assert.Equal(0, lanes.Count);
    }

    [Fact]
    public async Task A_lane_with_a_card_still_waiting_to_go_out_is_kept_and_dropped_after_it_went()
    {
        var platform = new Platform();
        var lanes = Lanes(platform);
        await lanes.UseAsync(1, lane => lane.ShowAsync(7, null, new Card("first"), CancellationToken.None));
        var edit = new TaskCompletionSource();
        platform.Edits = edit.Task;
        await lanes.UseAsync(1, lane => lane.ShowAsync(7, null, new Card("second"), CancellationToken.None));
        _clock.Advance(Interval);
        await platform.EditStarted.Task;

        lanes.Sweep();
        Assert.Equal(1, lanes.Count);

        edit.SetResult();
        await platform.EditEnded.Task;
        await Eventually.TrueAsync(() =>
        {
            // The lane sets its next turn when the edit's call returns, which may be after the test saw it end.
            _clock.Advance(Interval);
            lanes.Sweep();
            return lanes.Count == 0;
        }, TimeSpan.FromSeconds(10), "the lane dropped once its flusher stopped");
        Assert.Equal(["first", "second"], platform.Shown);
    }

    [Fact]
    public async Task A_reply_may_go_outside_the_lane_only_when_nothing_waits_and_the_spacing_is_over_and_the_lane_is_spaced_from_it()
    {
        var platform = new Platform();
        var lanes = Lanes(platform);

        Assert.True(await lanes.UseAsync(1, lane => Task.FromResult(lane.TryTakeTurnNow())));
        Assert.False(await lanes.UseAsync(1, lane => Task.FromResult(lane.TryTakeTurnNow())));
        _clock.Advance(Interval);
        Assert.True(await lanes.UseAsync(1, lane => Task.FromResult(lane.TryTakeTurnNow())));

        // A card waiting for its turn goes first: the reply then waits in the lane behind it.
        _clock.Advance(Interval);
        await lanes.UseAsync(1, lane => lane.ShowAsync(7, null, new Card("first"), CancellationToken.None));
        var edit = new TaskCompletionSource();
        platform.Edits = edit.Task;
        await lanes.UseAsync(1, lane => lane.ShowAsync(7, null, new Card("second"), CancellationToken.None));
        _clock.Advance(Interval);
        await platform.EditStarted.Task;
        _clock.Advance(Interval);
        Assert.False(await lanes.UseAsync(1, lane => Task.FromResult(lane.TryTakeTurnNow())));
        edit.SetResult();
        await platform.EditEnded.Task;
    }

    private CardLanes<long, long, Card> Lanes(Platform platform) =>
        new(_ => new CardLane<long, Card>(platform, Interval, _clock, (_, _) => Task.FromResult<Card?>(null)), _clock);

    internal sealed record Card(string Text) : ICardContent<Card>
    {
        public bool SameAs(Card? other) => other?.Text == Text;
    }

    private sealed class Platform : ICardPlatform<long, Card>
    {
        private long _next;

        public List<string> Shown { get; } = [];

        public Task Edits { get; set; } = Task.CompletedTask;

        public TaskCompletionSource EditStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource EditEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<long> PostAsync(Card card, CancellationToken cancellationToken)
        {
            lock (Shown)
                Shown.Add(card.Text);
            return Task.FromResult(Interlocked.Increment(ref _next));
        }

        public async Task EditAsync(long id, Card card, CancellationToken cancellationToken)
        {
            EditStarted.TrySetResult();
            await Edits;
            lock (Shown)
                Shown.Add(card.Text);
            EditEnded.TrySetResult();
        }

        public TimeSpan? RetryAfter(Exception error) => null;

        public CardFailure Classify(Exception error) => CardFailure.Unknown;

        public void LogRetrying(Exception error)
        {
        }

        public void LogReposted(long releaseId)
        {
        }

        public void LogFailed(CardFailure failure, Exception error, long releaseId, bool again)
        {
        }

        public void LogStopped()
        {
        }

        public void LogCrashed(Exception error)
        {
        }
    }
}
