using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ChatOps.IntegrationTests.Durability;

/// <summary>Restarts mid-release, two instances on one database, redelivered updates.</summary>
public sealed class DurabilityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(90);

    [Theory]
    [InlineData("Preflight")]
    [InlineData("Tag")]
    [InlineData("Backup")]
    [InlineData("AwaitApproval")]
    [InlineData("Migrate")]
    [InlineData("VerifySchema")]
    [InlineData("Deploy:midway")]
    [InlineData("Deploy")]
    [InlineData("Verify")]
    [InlineData("Smoke")]
    [InlineData("Observe")]
    [InlineData("Document")]
    public async Task A_crash_after_a_step_did_its_work_is_repaired_by_the_next_instance_and_nothing_happens_twice(string crashAt)
    {
        await using var pair = await HostPair.CreateAsync();
        var crash = CrashSwitch.AfterStep(crashAt);
        var first = await pair.StartHostAsync(crash.Install);
        Assert.Contains("started", (await HostPair.SayAsync(first, HostPair.Alice, "/release v0.2.0")).Text);
        var stopped = await HostPair.DriveToEndAsync(first, 1, Limit, () => crash.Crashed);
        Assert.True(crash.Crashed, $"the release ended {stopped.State} before the crash point {crashAt}");
        await pair.StopAsync(first);

        var second = await pair.StartHostAsync();
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);

        Assert.Equal(ReleaseState.Released, release.State);
        var mutations = pair.Sandbox.Mutations;
        Assert.Equal(1, mutations.Count("github.tag-object:v0.2.0"));
        Assert.Equal(1, mutations.Count("github.ref:refs/tags/v0.2.0"));
        Assert.Equal(1, mutations.Count("fly.snapshot:"));
        Assert.Equal(1, mutations.Count("fly.exec:alembic upgrade"));
        Assert.Equal(4, mutations.Count("fly.update:"));
        Assert.Equal(1, mutations.Count("github.contents:CHANGELOG.md"));
        Assert.False(string.IsNullOrEmpty(release.BotVersion));
        // The migration machine was found again by its metadata, not made twice (only a schema check run again after
        // the machine was destroyed needs a new one), and none is left.
        Assert.InRange(mutations.Count("fly.create:"), 1, crashAt == "VerifySchema" ? 2 : 1);
        Assert.Empty(pair.Sandbox.Fly.MachinesWithMetadata("myloware-api", "chatops_role", "migrations"));
        Assert.Equal(pair.Sandbox.Fly.Alembic.Upgrades.Distinct().Count(), pair.Sandbox.Fly.Alembic.Upgrades.Count);
    }

    [Fact]
    public async Task Ten_concurrent_releases_on_two_instances_start_exactly_one_and_the_rest_are_told_who_holds_it()
    {
        await using var pair = await HostPair.CreateAsync();
        var hosts = new[] { await pair.StartHostAsync(), await pair.StartHostAsync() };

        var replies = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            HostPair.SayAsync(hosts[i % 2], HostPair.Alice, $"/release v0.{i + 2}.0", $"update-{i}")));

        Assert.Single(replies, r => r.Text.Contains("started", StringComparison.Ordinal));
        Assert.Equal(9, replies.Count(r => r.IsRefusal && r.Text.Contains("production is busy: release #", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task When_the_instance_running_a_release_dies_the_other_finishes_it()
    {
        await using var pair = await HostPair.CreateAsync();
        var crash = CrashSwitch.AfterStep("Deploy:midway");
        var doomed = await pair.StartHostAsync(crash.Install);
        var survivor = await pair.StartHostAsync();
        await HostPair.SayAsync(doomed, HostPair.Alice, "/release v0.2.0");

        await HostPair.DriveToEndAsync(doomed, 1, Limit, () => crash.Crashed);
        var release = await HostPair.DriveToEndAsync(survivor, 1, Limit);

        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(4, pair.Sandbox.Mutations.Count("fly.update:"));
    }

    [Fact]
    public async Task The_same_update_delivered_twice_at_once_to_two_instances_has_one_effect()
    {
        await using var pair = await HostPair.CreateAsync();
        var a = await pair.StartHostAsync();
        var b = await pair.StartHostAsync();

        var replies = await Task.WhenAll(
            HostPair.SayAsync(a, HostPair.Alice, "/release v0.2.0", "telegram-update-77"),
            HostPair.SayAsync(b, HostPair.Alice, "/release v0.2.0", "telegram-update-77"),
            HostPair.SayAsync(a, HostPair.Alice, "/release v0.2.0", "telegram-update-77"));

        Assert.Single(replies, r => r.Text.Contains("started", StringComparison.Ordinal));
        Assert.Equal(2, replies.Count(r => r.Text.Length == 0));
    }

    [Fact]
    public async Task An_update_whose_work_never_committed_is_done_by_its_redelivery()
    {
        await using var pair = await HostPair.CreateAsync();
        var crash = new CrashSwitch((_, _) => false);
        var first = await pair.StartHostAsync(crash.Install);
        // The host dies as it starts the release: nothing of that command reaches the database.
        crash.Kill();
        await Assert.ThrowsAsync<IOException>(() => HostPair.SayAsync(first, HostPair.Alice, "/release v0.2.0", "telegram-update-91"));
        await pair.StopAsync(first);

        var second = await pair.StartHostAsync();
        var redelivered = await HostPair.SayAsync(second, HostPair.Alice, "/release v0.2.0", "telegram-update-91");
        var again = await HostPair.SayAsync(second, HostPair.Alice, "/release v0.2.0", "telegram-update-91");

        Assert.Contains("Release #1 of v0.2.0 to production started", redelivered.Text);
        Assert.Equal("", again.Text);
        Assert.Single(await second.Store.ListAsync("production", activeOnly: false, limit: 10, CancellationToken.None));
    }

    [Fact]
    public async Task A_refusal_is_answered_once_however_often_its_update_is_delivered()
    {
        await using var pair = await HostPair.CreateAsync();
        var host = await pair.StartHostAsync();

        var first = await HostPair.SayAsync(host, new Core.Domain.ChatUser("console:mallory"), "/release v0.2.0", "slack-event-5");
        var second = await HostPair.SayAsync(host, new Core.Domain.ChatUser("console:mallory"), "/release v0.2.0", "slack-event-5");

        Assert.True(first.IsRefusal);
        Assert.Equal("", second.Text);
    }

    [Fact]
    public async Task An_instance_that_froze_past_its_lease_cannot_overwrite_what_the_other_instance_wrote()
    {
        await using var pair = await HostPair.CreateAsync();
        var freeze = CrashSwitch.AfterStep("Deploy").PauseInstead();
        var frozen = await pair.StartHostAsync(freeze.Install);
        await HostPair.SayAsync(frozen, HostPair.Alice, "/release v0.2.0");
        await HostPair.DriveToEndAsync(frozen, 1, Limit, () => freeze.Paused.IsCompleted);
        Assert.True(freeze.Paused.IsCompleted, "the release ended before Deploy finished");

        // Frozen with the outcome of Deploy unwritten, its lease runs out and the other instance finishes the release.
        var other = await pair.StartHostAsync();
        var finished = await HostPair.DriveToEndAsync(other, 1, Limit);
        Assert.Equal(ReleaseState.Released, finished.State);

        freeze.Wake();
        using var timeout = new CancellationTokenSource(Limit);
        await frozen.WhenIdleAsync(timeout.Token);

        var store = other.Store;
        var release = (await store.GetAsync(1, CancellationToken.None))!;
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.False(release.IsActive);
        // Without the fence the frozen host's stale "Deploy succeeded" would land and the release would run its end twice.
        var events = await store.EventsAsync(1, null, 500, CancellationToken.None);
        Assert.Single(events, e => e.FromState == nameof(ReleaseState.Deploy) && e.Action == "succeeded");
        Assert.Single(events, e => e.ToState == nameof(ReleaseState.Released));
        Assert.Equal(4, pair.Sandbox.Mutations.Count("fly.update:"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_cancel_while_a_step_runs_stops_the_release_when_that_step_ends(bool sentToTheOtherInstance)
    {
        await using var pair = await HostPair.CreateAsync();
        var runner = await pair.StartHostAsync();
        var other = sentToTheOtherInstance ? await pair.StartHostAsync() : runner;
        // GitHub asks for a three-second pause on the first Preflight call, so the step is still running when the cancel comes.
        pair.Sandbox.Faults.FailNextGitHubCalls(1, 503, TimeSpan.FromSeconds(3));
        await HostPair.SayAsync(runner, HostPair.Alice, "/release v0.2.0");
        await other.WaitForStepAsync(1, "Preflight", StepStatus.Running, Limit);

        var reply = await HostPair.SayAsync(other, HostPair.Alice, "/cancel 1");
        var release = await HostPair.DriveToEndAsync(other, 1, Limit);

        Assert.Equal("Cancelling release #1 once Preflight ends.", reply.Text);
        Assert.Equal(ReleaseState.Cancelled, release.State);
        Assert.Equal(HostPair.Alice.Id, release.CancelRequestedBy);
        Assert.Equal(0, pair.Sandbox.Mutations.Count("github.ref:refs/tags/v0.2.0"));
    }

    [Fact]
    public async Task A_release_waiting_for_approval_survives_a_restart_and_its_approve_button_still_works()
    {
        await using var pair = await HostPair.CreateAsync();
        var first = await pair.StartHostAsync();
        await HostPair.SayAsync(first, HostPair.Alice, "/release v0.2.0");
        await first.WaitForStepAsync(1, "AwaitApproval", StepStatus.Waiting, Limit);
        using var timeout = new CancellationTokenSource(Limit);
        var approve = (await first.Services.GetRequiredService<IApprovalStore>().OpenAsync(1, DateTimeOffset.UtcNow, timeout.Token))
            .Single(t => t.Action == CardAction.Approve);
        await pair.StopAsync(first);

        var second = await pair.StartHostAsync();
        var bot = second.Services.GetRequiredService<Core.Chat.ChatOpsBot>();
        var press = new Core.Chat.ButtonPress(HostPair.Bob, HostPair.Channel, approve.Token, "callback-7");
        var pressed = await bot.PressAsync(press, timeout.Token);
        var pressedAgain = await bot.PressAsync(press, timeout.Token);
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);

        Assert.Equal("Approved by console:bob: release #1 continues.", pressed.Text);
        Assert.Equal("", pressedAgain.Text);
        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(HostPair.Bob.Id, release.Outputs.ApprovedBy);
        Assert.Equal(1, pair.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
    }

    [Fact]
    public async Task An_approval_written_down_just_before_the_bot_died_is_carried_out_by_the_next_instance()
    {
        await using var pair = await HostPair.CreateAsync();
        var (first, buttons) = await StartDyingOnButtonsAsync(pair);
        await first.WaitForStepAsync(1, "AwaitApproval", StepStatus.Waiting, Limit);

        buttons.Armed = true;
        await buttons.DieOnAsync(() => HostPair.SayAsync(first, HostPair.Bob, "/approve 1"));
        await pair.StopAsync(first);
        var second = await pair.StartHostAsync();
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);

        Assert.Equal(ReleaseState.Released, release.State);
        Assert.Equal(HostPair.Bob.Id, release.Outputs.ApprovedBy);
        var events = await second.Store.EventsAsync(1, null, 500, CancellationToken.None);
        Assert.Single(events, e => e.Action == "approve");
        Assert.Equal(1, pair.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
    }

    [Fact]
    public async Task A_cancel_written_down_just_before_the_bot_died_stays_a_cancel()
    {
        await using var pair = await HostPair.CreateAsync();
        var (first, buttons) = await StartDyingOnButtonsAsync(pair);
        await first.WaitForStepAsync(1, "AwaitApproval", StepStatus.Waiting, Limit);

        buttons.Armed = true;
        await buttons.DieOnAsync(() => HostPair.SayAsync(first, HostPair.Alice, "/cancel 1"));
        await pair.StopAsync(first);
        var second = await pair.StartHostAsync();
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);

        Assert.Equal(ReleaseState.Cancelled, release.State);
        Assert.Equal(HostPair.Alice.Id, release.CancelRequestedBy);
        var events = await second.Store.EventsAsync(1, null, 500, CancellationToken.None);
        Assert.Single(events, e => e.Action == "cancel");
        Assert.Equal(0, pair.Sandbox.Mutations.Count("fly.exec:alembic upgrade"));
    }

    /// <summary>A host that starts a release and waits at its approval, with a switch that kills it right after a button write.</summary>
    private static async Task<(SharedStoreHost Host, DiesAfterAButtonWrite Buttons)> StartDyingOnButtonsAsync(HostPair pair)
    {
        var crash = new CrashSwitch((_, _) => false);
        var host = await pair.StartHostAsync(services =>
        {
            crash.Install(services);
            var approvals = services.Last(d => d.ServiceType == typeof(IApprovalStore)).ImplementationFactory!;
            services.AddSingleton<IApprovalStore>(sp => new DiesAfterAButtonWrite(crash, (IApprovalStore)approvals(sp)));
        });
        await HostPair.SayAsync(host, HostPair.Alice, "/release v0.2.0");
        return (host, (DiesAfterAButtonWrite)host.Services.GetRequiredService<IApprovalStore>());
    }

    /// <summary>Once armed, the bot dies right after its next write of a button (spending one, or voiding a release's).</summary>
    private sealed class DiesAfterAButtonWrite(CrashSwitch crash, IApprovalStore real) : IApprovalStore
    {
        private readonly TaskCompletionSource _died = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public volatile bool Armed;

        /// <summary>
        /// Sends the command and waits for the death it causes: in the command itself, or in the runner when the
        /// command found a step running (the sweep looks at a waiting release now and then) and left a request.
        /// </summary>
        public async Task DieOnAsync(Func<Task> command)
        {
            try
            {
                await command();
            }
            catch (IOException)
            {
                // Died in the command.
            }
            await _died.Task.WaitAsync(Limit);
        }

        public Task IssueAsync(ActionToken token, CancellationToken cancellationToken) => real.IssueAsync(token, cancellationToken);

        public Task<ActionToken?> FindAsync(string token, CancellationToken cancellationToken) => real.FindAsync(token, cancellationToken);

        public Task<IReadOnlyList<ActionToken>> OpenAsync(long releaseId, DateTimeOffset now, CancellationToken cancellationToken) =>
            real.OpenAsync(releaseId, now, cancellationToken);

        public async Task<bool> UseAsync(string token, string user, DateTimeOffset at, CancellationToken cancellationToken)
        {
            var used = await real.UseAsync(token, user, at, cancellationToken);
            DieIfArmed();
            return used;
        }

        public async Task VoidAsync(long releaseId, string? gate, DateTimeOffset at, CancellationToken cancellationToken)
        {
            await real.VoidAsync(releaseId, gate, at, cancellationToken);
            DieIfArmed();
        }

        private void DieIfArmed()
        {
            if (!Armed)
                return;
            crash.Kill();
            _died.TrySetResult();
            throw new IOException("simulated crash right after a button write");
        }
    }
}

/// <summary>The closing message of a release that was cut off and finished by the next instance.</summary>
public sealed class ClosingMessageDurabilityTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task A_release_finished_after_a_restart_in_the_middle_of_its_deploy_says_its_closing_message_once()
    {
        var notices = new ConcurrentQueue<Notice>();
        void Record(IServiceCollection services)
        {
            // Both instances post to one chat, as two bots behind one group would.
            services.RemoveAll<IChatSurface>();
            services.AddSingleton<IChatSurface>(new NoticeRecorder(notices));
        }
        await using var pair = await HostPair.CreateAsync();
        var crash = CrashSwitch.AfterStep("Deploy:midway");
        var first = await pair.StartHostAsync(s => { crash.Install(s); Record(s); });
        await HostPair.SayAsync(first, HostPair.Alice, "/release v0.2.0");
        await HostPair.DriveToEndAsync(first, 1, Limit, () => crash.Crashed);
        await pair.StopAsync(first);

        var second = await pair.StartHostAsync(Record);
        var release = await HostPair.DriveToEndAsync(second, 1, Limit);
        await second.WhenIdleAsync();

        Assert.Equal(ReleaseState.Released, release.State);
        var closing = Assert.Single(notices, n => n.Text.Contains("is released, in", StringComparison.Ordinal));
        Assert.Equal([HostPair.Alice], closing.Mentions);
    }

    private sealed class NoticeRecorder(ConcurrentQueue<Notice> notices) : IChatSurface
    {
        public string Platform => HostPair.Channel.Platform;

        public Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(messageId ?? $"card-{card.ReleaseId}");

        public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken)
        {
            notices.Enqueue(notice);
            return Task.CompletedTask;
        }
    }
}
