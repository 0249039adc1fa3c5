using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

/// <summary>A long step keeps its card current while it runs, within the chat's edit budget.</summary>
[Collection(TelegramCollection.Name)]
public sealed class TelegramProgressTests
{
    [Fact]
    public async Task A_slow_deploy_shows_the_service_and_machine_n_of_N_on_the_card_while_it_runs()
    {
        // Slow machines, so the deploy is seen under way.
        await using var bot = await StartAsync(new Dictionary<string, string?> { ["Sandbox:DelayMilliseconds"] = "1500" });
        bot.Telegram.Type(Group, Releaser, "/release v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.AnswerToAsync(bot.Telegram.Press(Group, Approver, card.Id, "Approve migrations"));

        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");

        var running = released.Versions.Where(v => v.Contains("Deploy running", StringComparison.Ordinal)).ToList();
        Assert.True(running.Any(v => v.Contains("api machine 1/2", StringComparison.Ordinal) && v.Contains("→ v0.2.0", StringComparison.Ordinal)),
            "the card never showed a machine under way:\n" + string.Join("\n---\n", released.Versions));
        // Every edit went through the card's lane, one message edited in place: no second card, no refused edit.
        Assert.Single(bot.Telegram.BotMessages(Group), m => m.Html is not null && m.Text.StartsWith("Release #1", StringComparison.Ordinal));
        Assert.DoesNotContain(bot.Telegram.CallsTo("editMessageText"), c => c.Status != 200);
    }
}
