using ChatOps.Host.Telegram;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Hardening;

public sealed class StrangerTests
{
    [Fact]
    public async Task Live_with_no_allow_list_a_group_gets_one_reply_with_its_id_and_a_stranger_in_private_reads_nothing()
    {
        // Live as the resolved mode would make it; the rest of the host stays on the sandbox.
        await using var bot = await TelegramBotHost.StartAsync(configure: s => s.PostConfigure<TelegramOptions>(o => o.Live = true));
        const long otherGroup = -1005555555555;
        bot.Telegram.AddChat(otherGroup, "supergroup", "Elsewhere");

        var inGroup = bot.Telegram.Type(otherGroup, Releaser, "/release v0.2.0");
        var strangerHistory = bot.Telegram.Type(Stranger, Stranger, "/history");
        var releaserInPrivate = bot.Telegram.Type(Releaser, Releaser, "/whoami");

        var refusal = await bot.WaitForAsync("the refusal in the other group", () => bot.RepliesTo(inGroup, otherGroup).FirstOrDefault());
        Assert.Contains("-1005555555555", refusal.Text);
        Assert.Contains("Telegram:AllowedChatIds", refusal.Text);
        var stranger = await bot.WaitForAsync("the refusal in the stranger's chat", () => bot.RepliesTo(strangerHistory, Stranger).FirstOrDefault());
        Assert.Contains("only for people with a role", stranger.Text);
        var served = await bot.WaitForAsync("the releaser's /whoami", () => bot.RepliesTo(releaserInPrivate, Releaser).FirstOrDefault());
        Assert.Contains($"id telegram:{Releaser}", served.Text);
        Assert.Single(bot.Telegram.BotMessages(otherGroup));
        Assert.Empty(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task The_anonymous_admin_id_in_a_role_list_stops_the_host_at_start_up()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
            await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ChatOps:Access:Approvers:1"] = "telegram:1087968824" }));

        Assert.Contains(failure.Failures, f => f.Contains("anonymous group admin", StringComparison.Ordinal));
    }
}
