using ChatOps.Core.Cards;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Testing;

namespace ChatOps.Core.Tests.Commands;

/// <summary>What cannot be undone (a typed /rollback, /unlock --force of another's lock) waits for a "Yes, …" press that expires after a minute.</summary>
public sealed class ConfirmationTests : CoreScenario
{
    private static readonly ChatUser Carol = new("test:carol");

    private async Task TwoReleasesAsync()
    {
        foreach (var (tag, id) in new[] { ("v1.0.1", 1L), ("v1.1.0", 2L) })
        {
            await SayAsync(Alice, $"/release {tag}");
            await SayAsync(Bob, $"/approve {id}");
            Assert.Equal(ReleaseState.Released, (await ReleaseAsync(id)).State);
        }
    }

    private Task<IReadOnlyList<Release>> ReleasesAsync() => Core.Store.Releases.ListAsync(Env, activeOnly: false, limit: 10, CancellationToken.None);

    [Fact]
    public async Task A_typed_rollback_asks_what_it_will_do_and_only_the_yes_press_rolls_back()
    {
        await TwoReleasesAsync();

        var asked = await SayAsync(Alice, "/rollback");

        Assert.False(asked.IsRefusal, asked.Text);
        Assert.Contains("within a minute", asked.Text);
        var question = Core.Surface.Notices.Last();
        Assert.Equal([Alice], question.Mentions);
        Assert.Contains($"goes back to v1.0.1", question.Text);
        var yes = Assert.Single(question.Buttons);
        Assert.Equal($"Yes, roll back {Env}", yes.Label);
        Assert.Equal(CardAction.ConfirmRollback, yes.Action);
        Assert.Equal(2, (await ReleasesAsync()).Count);

        var pressed = await PressYesAsync(Alice);

        Assert.False(pressed.IsRefusal, pressed.Text);
        Assert.Contains($"Rollback #3 of {Env} to v1.0.1 started", pressed.Text);
        Assert.Equal(ReleaseState.RolledBack, (await ReleaseAsync(3)).State);
    }

    [Fact]
    public async Task A_yes_pressed_after_a_minute_is_refused_and_nothing_moves()
    {
        await TwoReleasesAsync();
        await SayAsync(Alice, "/rollback");
        var updates = Core.Fleet.Updates.Count;

        Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var late = await PressYesAsync(Alice);

        Assert.True(late.IsRefusal);
        Assert.Contains("expired", late.Text);
        Assert.Contains($"Type /rollback {Env} again", late.Text);
        Assert.Equal(2, (await ReleasesAsync()).Count);
        Assert.Equal(updates, Core.Fleet.Updates.Count);
    }

    [Fact]
    public async Task A_yes_pressed_by_someone_who_may_not_release_is_refused_and_stays_open_for_the_asker()
    {
        await TwoReleasesAsync();
        await SayAsync(Alice, "/rollback");

        var stranger = await PressYesAsync(Carol);
        var asker = await PressYesAsync(Alice);

        Assert.True(stranger.IsRefusal);
        Assert.Contains(Carol.Id, stranger.Text);
        Assert.False(asker.IsRefusal, asker.Text);
        Assert.Equal(3, (await ReleasesAsync()).Count);
    }

    [Fact]
    public async Task A_yes_pressed_twice_starts_one_rollback()
    {
        await TwoReleasesAsync();
        await SayAsync(Alice, "/rollback");

        await PressYesAsync(Alice);
        var again = await PressYesAsync(Alice);

        Assert.True(again.IsRefusal);
        Assert.Equal(3, (await ReleasesAsync()).Count);
    }

    [Fact]
    public async Task A_rollback_that_would_be_refused_is_refused_at_once_without_a_question()
    {
        var asked = await SayAsync(Alice, "/rollback --to v9.9.9");

        Assert.True(asked.IsRefusal);
        Assert.Contains("never released", asked.Text);
        Assert.Empty(Core.Surface.Notices);
    }

    [Fact]
    public async Task A_rollback_check_answers_at_once_and_asks_nothing()
    {
        await TwoReleasesAsync();

        var check = await SayAsync(Alice, "/rollback --check");

        Assert.False(check.IsRefusal, check.Text);
        Assert.DoesNotContain(Core.Surface.Notices, n => n.Buttons.Count > 0);
        Assert.Equal(2, (await ReleasesAsync()).Count);
    }

    [Fact]
    public async Task A_forced_unlock_of_another_persons_lock_asks_and_only_the_yes_press_lifts_it()
    {
        await SayAsync(Alice, $"/lock {Env} db maintenance");

        var asked = await SayAsync(Bob, $"/unlock {Env} --force");

        Assert.False(asked.IsRefusal, asked.Text);
        var question = Core.Surface.Notices.Last();
        Assert.Contains($"{Alice.Id} locked it", question.Text);
        Assert.Contains("db maintenance", question.Text);
        Assert.Equal($"Yes, force unlock {Env}", Assert.Single(question.Buttons).Label);
        Assert.NotNull((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);

        var pressed = await PressYesAsync(Bob);

        Assert.False(pressed.IsRefusal, pressed.Text);
        Assert.Contains("forced", pressed.Text);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task A_forced_unlock_pressed_late_or_by_a_releaser_is_refused_and_the_lock_stays()
    {
        await RestartWithAsync(s => s.Access.Releasers.Add(Carol.Id));
        await SayAsync(Alice, $"/lock {Env} db maintenance");
        await SayAsync(Bob, $"/unlock {Env} --force");

        var byReleaser = await PressYesAsync(Carol);
        Clock.Advance(TimeSpan.FromMinutes(2));
        var late = await PressYesAsync(Bob);

        Assert.True(byReleaser.IsRefusal);
        Assert.Contains("Only they can unlock it", byReleaser.Text);
        Assert.True(late.IsRefusal);
        Assert.Contains("expired", late.Text);
        Assert.NotNull((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task A_yes_about_a_lock_that_was_taken_again_since_does_not_lift_the_new_one()
    {
        await SayAsync(Alice, $"/lock {Env} db maintenance");
        await SayAsync(Bob, $"/unlock {Env} --force");
        await SayAsync(Alice, $"/unlock {Env}");
        Clock.Advance(TimeSpan.FromSeconds(5));
        await SayAsync(Alice, $"/lock {Env} second incident");

        var pressed = await PressYesAsync(Bob);

        Assert.True(pressed.IsRefusal);
        Assert.Contains("changed since", pressed.Text);
        Assert.Equal("second incident", (await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock?.Reason);
    }

    [Fact]
    public async Task Unlocking_ones_own_lock_with_force_asks_nothing()
    {
        await SayAsync(Alice, $"/lock {Env} db maintenance");

        var unlocked = await SayAsync(Alice, $"/unlock {Env} --force");

        Assert.False(unlocked.IsRefusal, unlocked.Text);
        Assert.Empty(Core.Surface.Notices);
        Assert.Null((await Core.Store.Environments.GetAsync(Env, CancellationToken.None)).Lock);
    }

    [Fact]
    public async Task A_typed_rollback_while_a_release_deploys_names_the_tag_its_machines_go_back_to()
    {
        await SayAsync(Alice, "/release v1.0.1");
        await SayAsync(Bob, "/approve 1");
        await SayAsync(Alice, "/release v1.1.0");
        string? question = null;
        Core.Fleet.BeforeUpdate = async (_, image) =>
        {
            if (question is not null || StatusReporter.TagOf(image) != "v1.1.0")
                return;
            question = "";
            await Core.Bot.HandleAsync(new IncomingMessage(Alice, SignalSurface.Channel, "/rollback"), CancellationToken.None);
            question = Core.Surface.Notices.Last().Text;
        };

        await SayAsync(Bob, "/approve 2");

        Assert.Contains("stops at its next safe point and what it moved goes back to v1.0.1", question);
    }
}
