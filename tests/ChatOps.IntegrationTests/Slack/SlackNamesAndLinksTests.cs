using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Host.Slack;
using Microsoft.Extensions.DependencyInjection;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>Slack sends only user ids: the card shows the names users.info gives, or the ids when it gives none.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackNamesAndLinksTests
{
    [Fact]
    public async Task A_slack_card_shows_the_real_names_from_users_info_asked_once_per_person_and_links_the_commit_and_the_release()
    {
        await using var bot = await StartAsync();
        bot.Slack.AddUser(Releaser, "Rita Releaser", "rita");
        bot.Slack.AddUser(Approver, "Alan Approver", "alan");
        var head = bot.Sandbox.GitHub.HeadSha;
        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));
        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        var status = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/status", "1"));

        Assert.Contains("requested by Rita Releaser", released.AllText);
        Assert.Contains("approved by Alan Approver", released.AllText);
        Assert.Contains($"<https://github.com/acme/myloware/commit/{head}|commit {head[..7]}>", released.AllText);
        Assert.Contains("<https://github.com/acme/myloware/releases/tag/v0.2.0|release v0.2.0>", released.AllText);
        Assert.Contains("Rita Releaser request", status.Text);
        Assert.Single(bot.Slack.CallsTo("users.info"), c => (string?)c.Body["user"] == Releaser);
        Assert.Single(bot.Slack.CallsTo("users.info"), c => (string?)c.Body["user"] == Approver);
    }

    [Fact]
    public async Task Users_info_is_never_asked_about_someone_the_bot_refuses()
    {
        // Live, with only the releases channel allowed.
        await using var bot = await StartAsync(
            settings: new Dictionary<string, string?> { ["Slack:AllowedChannelIds:0"] = Channel },
            configure: s => s.PostConfigure<SlackOptions>(o => o.Live = true));
        foreach (var id in new[] { Releaser, Approver, Stranger })
            bot.Slack.AddUser(id, $"Person {id}");

        var offList = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Approver, "C0ELSEWHERE", "/status", ""));
        var strangerInPrivate = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Stranger, "D0STRANGER", "/status", ""));
        var strangerInChannel = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Stranger, Channel, "/release", "v0.2.0"));
        var served = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, "D0RELEASER", "/whoami", ""));

        Assert.Contains("C0ELSEWHERE", offList.Text);
        Assert.Contains("only for people with a role", strangerInPrivate.Text);
        Assert.Contains("⛔", strangerInChannel.Text);
        Assert.Contains($"slack:{Releaser}", served.Text);
        Assert.DoesNotContain(bot.Slack.CallsTo("users.info"), c => (string?)c.Body["user"] is Approver or Stranger);
        Assert.Single(bot.Slack.CallsTo("users.info"), c => (string?)c.Body["user"] == Releaser);
        Assert.Empty(await bot.ReleasesAsync());
    }

    [Fact]
    public async Task When_users_info_fails_the_card_shows_the_slack_id_and_the_release_goes_on()
    {
        await using var bot = await StartAsync();
        // A token without users:read: Slack answers missing_scope.
        bot.Slack.Scopes = ["chat:write", "commands"];
        bot.Slack.AddUser(Releaser, "Rita Releaser");

        await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");

        Assert.Contains($"requested by slack:{Releaser}", card.AllText);
        Assert.DoesNotContain("Rita", card.AllText);
        Assert.Contains(bot.Slack.CallsTo("users.info"), c => c.Error == "missing_scope");
        Assert.Equal(ReleaseState.AwaitApproval, (await bot.ReleaseAsync(1)).State);
    }
}
