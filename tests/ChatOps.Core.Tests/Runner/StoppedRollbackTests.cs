using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;
using ChatOps.Testing;
using Microsoft.Extensions.Time.Testing;

namespace ChatOps.Core.Tests.Runner;

/// <summary>A /rollback that stops a running release always starts its rollback, or says on the card why not.</summary>
public sealed class StoppedRollbackTests : IAsyncLifetime
{
    private static readonly string Env = ShapedSettings.EnvironmentName(0);
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
    private readonly InMemoryStore _store;
    private readonly RollbackStarts _releases;
    private CoreRig _core;

    public StoppedRollbackTests()
    {
        _store = new InMemoryStore(_clock);
        _releases = new RollbackStarts(_store);
        _core = Start();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _releases.Held.TrySetResult();
        _releases.Let.TrySetResult();
        await _core.DisposeAsync();
    }

    [Fact]
    public async Task A_stopped_release_whose_rollback_fails_to_start_says_so_on_its_card_with_what_to_do_by_hand()
    {
        await StopDuringDeployAsync();
        _releases.Fails = true;

        await SayAsync(ShapedSettings.Approver, "/approve 2");

        Assert.Equal(ReleaseState.Failed, (await _store.GetAsync(2, CancellationToken.None))!.State);
        Assert.Contains(_core.Surface.Said, line => line.Contains("Release #2 stopped at a safe point, but its rollback could not start", StringComparison.Ordinal)
            && line.Contains($"/rollback {Env}", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_rollback_cut_off_by_a_crash_after_its_release_stopped_is_started_by_the_next_instance()
    {
        await StopDuringDeployAsync();
        _releases.Hangs = true;
        await _core.Bot.HandleAsync(new IncomingMessage(ShapedSettings.Approver, SignalSurface.Channel, "/approve 2"), CancellationToken.None);
        await _releases.Held.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(ReleaseState.Failed, (await _store.GetAsync(2, CancellationToken.None))!.State);

        // The bot dies while the rollback is being written; the next instance starts once the dead one's lease ran out.
        await _core.DisposeAsync();
        _releases.Hangs = false;
        _clock.Advance(TimeSpan.FromMinutes(2));
        _core = Start();
        await _core.Get<ReleaseRecovery>().RecoverAsync(CancellationToken.None);
        await _core.WhenIdleAsync();

        var rollback = await _store.GetAsync(3, CancellationToken.None);
        Assert.Equal(ReleaseKind.Rollback, rollback?.Kind);
        Assert.Equal(ReleaseState.RolledBack, rollback!.State);
        Assert.Equal("v1.0.1", rollback.Tag);
        Assert.Equal(3, (await _store.GetAsync(2, CancellationToken.None))!.Outputs.RollbackReleaseId);
    }

    [Fact]
    public async Task A_rollback_asked_while_the_releases_end_is_being_written_still_rolls_it_back()
    {
        await SayAsync(ShapedSettings.Releaser, "/release v1.0.1");
        await SayAsync(ShapedSettings.Approver, "/approve 1");
        await SayAsync(ShapedSettings.Releaser, "/release v1.1.0");
        _releases.HoldsEnd = true;
        await _core.Bot.HandleAsync(new IncomingMessage(ShapedSettings.Approver, SignalSurface.Channel, "/approve 2"), CancellationToken.None);
        await _releases.Held.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var asked = await _core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, ShapedSettings.Releaser, SignalSurface.Channel, CancellationToken.None);
        _releases.Let.TrySetResult();
        await _core.WhenIdleAsync();

        Assert.True(asked.Accepted, asked.Message);
        Assert.Equal(ReleaseState.Released, (await _store.GetAsync(2, CancellationToken.None))!.State);
        var rollback = await _store.GetAsync(3, CancellationToken.None);
        Assert.Equal(ReleaseState.RolledBack, rollback?.State);
        Assert.Equal("v1.0.1", rollback!.Tag);
    }

    [Fact]
    public async Task A_rolled_back_release_is_marked_by_the_rollbacks_start_even_when_the_store_fails_every_later_write_of_it()
    {
        await SayAsync(ShapedSettings.Releaser, "/release v1.0.1");
        await SayAsync(ShapedSettings.Approver, "/approve 1");
        _core.Fleet.BrokenTags.TryAdd("v1.1.0", 0);
        await SayAsync(ShapedSettings.Releaser, "/release v1.1.0");
        await SayAsync(ShapedSettings.Approver, "/approve 2");
        Assert.Equal(ReleaseState.Failed, (await _store.GetAsync(2, CancellationToken.None))!.State);
        _releases.FailsWritesOf = 2;

        var asked = await _core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, ShapedSettings.Releaser, SignalSurface.Channel, CancellationToken.None);
        await _core.WhenIdleAsync();

        Assert.True(asked.Accepted, asked.Message);
        var history = await _store.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None);
        var bad = history.Single(r => r.Id == 2);
        Assert.Equal(3, bad.Outputs.RollbackReleaseId);
        Assert.Equal(ReleaseState.RolledBack, history.Single(r => r.Id == 3).State);
        Assert.False(bad.IsGoodIn(history));
    }

    private async Task StopDuringDeployAsync()
    {
        await SayAsync(ShapedSettings.Releaser, "/release v1.0.1");
        await SayAsync(ShapedSettings.Approver, "/approve 1");
        await SayAsync(ShapedSettings.Releaser, "/release v1.1.0");
        var asked = 0;
        _core.Fleet.BeforeHealth = async () =>
        {
            if (Interlocked.Increment(ref asked) == 1)
                await _core.Get<RollbackCommands>().StartRollbackAsync(Env, null, false, ShapedSettings.Releaser, SignalSurface.Channel, CancellationToken.None);
        };
    }

    private CoreRig Start() => new(ShapedSettings.Create(1), _clock, new StorePorts(_releases, _store, _store, _store, _store));

    private async Task SayAsync(ChatOps.Core.Domain.ChatUser user, string text)
    {
        await _core.Bot.HandleAsync(new IncomingMessage(user, SignalSurface.Channel, text), CancellationToken.None);
        await _core.WhenIdleAsync();
    }

    /// <summary>The store, with a say in how a rollback's start goes: it fails, or it never comes back (the bot dies meanwhile).</summary>
    private sealed class RollbackStarts(InMemoryStore inner) : IReleaseStore
    {
        public bool Fails { get; set; }

        public bool Hangs { get; set; }

        /// <summary>Every save of this release fails, as a store that errs on one row would.</summary>
        public long? FailsWritesOf { get; set; }

        public TaskCompletionSource Held { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<StartOutcome> TryStartAsync(Release release, AuditEvent started, CancellationToken cancellationToken)
        {
            if (release.Kind == ReleaseKind.Rollback && Fails)
                throw new TimeoutException("the store did not answer");
            if (release.Kind == ReleaseKind.Rollback && Hangs)
            {
                Held.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            return await inner.TryStartAsync(release, started, cancellationToken);
        }

        public Task<Release?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

        public bool HoldsEnd { get; set; }

        public TaskCompletionSource Let { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task SaveAsync(Release release, AuditEvent? audit, string leaseOwner, CancellationToken cancellationToken)
        {
            if (release.Id == FailsWritesOf)
                throw new TimeoutException("the store did not answer");
            // The release's last save, held as a slow store or bookkeeping would hold it.
            if (HoldsEnd && release.Kind == ReleaseKind.Release && release.State == ReleaseState.Released && audit is not null)
            {
                Held.TrySetResult();
                await Let.Task.WaitAsync(cancellationToken);
            }
            await inner.SaveAsync(release, audit, leaseOwner, cancellationToken);
        }

        public Task<StopRequest?> RequestCancelAsync(AuditEvent requested, CancellationToken cancellationToken) => inner.RequestCancelAsync(requested, cancellationToken);

        public Task<bool> ClearCancelRequestAsync(long releaseId, CancellationToken cancellationToken) => inner.ClearCancelRequestAsync(releaseId, cancellationToken);

        public Task<IReadOnlyList<Release>> ListAsync(string? environment, bool activeOnly, int limit, CancellationToken cancellationToken) =>
            inner.ListAsync(environment, activeOnly, limit, cancellationToken);

        public Task AppendAsync(AuditEvent audit, CancellationToken cancellationToken) => inner.AppendAsync(audit, cancellationToken);

        public Task<IReadOnlyList<AuditEvent>> EventsAsync(long? releaseId, string? environment, int limit, CancellationToken cancellationToken) =>
            inner.EventsAsync(releaseId, environment, limit, cancellationToken);
    }
}
