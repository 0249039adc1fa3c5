using ChatOps.Core.Releases;
using ChatOps.Sandbox;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>The card names people as Telegram showed them, links the pages GitHub named, and says which revision Migrate applies.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramNamesAndLinksTests
{
    [Fact]
    public async Task A_released_card_names_the_requester_and_the_approver_and_links_the_commit_the_release_and_the_fly_apps()
    {
        await using var bot = await StartAsync();
        bot.Telegram.AddUser(Releaser, "Rita Releaser", "rita");
        bot.Telegram.AddUser(Approver, "Alan Approver");
        var head = bot.Sandbox.GitHub.HeadSha;
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");

        Assert.Contains("requested by Rita Releaser", released.Text);
        Assert.Contains("approved by Alan Approver", released.Text);
        Assert.DoesNotContain($"telegram:{Releaser}", released.Text);
        var html = released.Html!;
        Assert.Contains($"<a href=\"https://github.com/acme/myloware/commit/{head}\">commit {head[..7]}</a>", html);
        Assert.Contains("<a href=\"https://github.com/acme/myloware/releases/tag/v0.2.0\">release v0.2.0</a>", html);
        Assert.Contains("<a href=\"https://github.com/acme/myloware/blob/main/CHANGELOG.md#v020---", html);
        Assert.Contains("<a href=\"https://fly.io/apps/myloware-api\">fly myloware-api</a>", html);
        Assert.Equal(["v0.2.0"], bot.Sandbox.GitHub.ReleaseTags.Where(t => t == "v0.2.0"));
    }

    [Fact]
    public async Task The_card_of_a_release_held_back_by_a_failing_check_links_the_page_of_that_check_run()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.GitHub.SetCheckRun(bot.Sandbox.GitHub.HeadSha, "ruff", "completed", "failure");

        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var failed = await bot.CardShowingAsync("Release #1", "Failed at Preflight");

        Assert.Matches("<a href=\"https://github.com/acme/myloware/runs/[0-9]+\">check ruff</a>", failed.Html);
    }

    [Fact]
    public async Task During_a_slow_migration_the_card_shows_the_revisions_being_applied()
    {
        await using var bot = await StartAsync();
        // The upgrade waits until the test has seen the card: no timing, the migration is slow for as long as needed.
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var alembic = bot.Sandbox.Fly.ExecHandler;
        bot.Sandbox.Fly.ExecHandler = async (request, cancellationToken) =>
        {
            // The upgrade itself, not the preview's offline `upgrade … --sql`.
            var command = SimulatedAlembic.CommandText(request.Command);
            if (command.Contains("upgrade", StringComparison.Ordinal) && !command.Contains("--sql", StringComparison.Ordinal))
                await seen.Task.WaitAsync(cancellationToken);
            return await alembic(request, cancellationToken);
        };
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        var line = await bot.WaitForAsync("the card to show Migrate under way", () =>
            bot.Card("Release #1")?.Text.Split('\n').FirstOrDefault(l => l.Contains("Migrate running", StringComparison.Ordinal) && l.Contains("applying", StringComparison.Ordinal)));
        var during = await bot.ReleaseAsync(1);
        seen.SetResult();

        Assert.Equal(ReleaseState.Migrate, during.State);
        // The revisions the approver approved, as the simulated Alembic listed them.
        var plan = during.Outputs.Migrations!;
        Assert.Equal(2, plan.Pending.Count);
        Assert.EndsWith($"applying 2 revisions up to {plan.Head}: {plan.Pending[0].Revision}, {plan.Pending[1].Revision}", line);
        await bot.WaitForStateAsync(1, ReleaseState.Released);
    }
}
