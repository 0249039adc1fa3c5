using ChatOps.Core.Releases;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>Socket Mode: the same commands, clicks and mentions over a WebSocket, through Slack's reconnects.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackSocketModeTests
{
    [Fact]
    public async Task Envelopes_from_another_workspace_are_acknowledged_and_change_nothing()
    {
        await using var bot = await StartAsync(socketMode: true);
        await bot.WaitUntilAsync("the bot's Socket Mode connection", () => bot.Slack.HasLiveSocket);
        bot.Slack.SendingTeamId = "T0ELSEWHERE";

        var foreign = await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        Assert.Equal(200, foreign.Status);
        Assert.Equal(200, (await bot.Slack.EventAsync(bot.Slack.NewMention(Releaser, Channel, "release v0.2.0"))).Status);

        // Envelopes are handled in order on the one connection: once the next is answered, the foreign ones were seen.
        bot.Slack.SendingTeamId = ChatOps.Sandbox.SlackSimulator.TeamId;
        var whoami = await bot.ReplyToAsync(await bot.Slack.CommandAsync(Releaser, Channel, "/whoami", ""));
        Assert.Contains($"You are slack:{Releaser}", whoami.Text);
        Assert.Equal("", foreign.AckText);
        Assert.Empty(bot.Slack.HookPosts(foreign.HookId));
        Assert.Empty(await bot.ReleasesAsync());
        Assert.Empty(bot.Slack.Messages(Channel));
    }

    [Fact]
    public async Task A_whole_release_runs_over_socket_mode_through_a_disconnect_request_and_a_dropped_connection()
    {
        await using var bot = await StartAsync(socketMode: true);
        await bot.WaitUntilAsync("the bot's Socket Mode connection", () => bot.Slack.HasLiveSocket);

        var ack = await bot.Slack.CommandAsync(Releaser, Channel, "/release", "v0.2.0");
        Assert.Equal(200, ack.Status);
        Assert.Contains("/release v0.2.0", ack.AckText);
        var card = await bot.CardWithButtonAsync("Release #1", "Approve migrations");
        Assert.Contains("Release #1 of v0.2.0 to production started", (await bot.ReplyToAsync(ack)).Text);

        // Slack rotates the connection in the middle of the release: the bot must open a new one by itself.
        Assert.True(await bot.Slack.DisconnectAsync("refresh_requested"), "the bot did not close the connection it was told to leave");
        await bot.WaitUntilAsync("a second connection", () => bot.Slack.SocketsOpened >= 2 && bot.Slack.HasLiveSocket);
        var byRequester = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Releaser, card, "Approve migrations"));
        Assert.StartsWith("⛔", byRequester.Text);
        Assert.Contains($"slack:{Releaser} is not an approver", byRequester.Text);

        // Then the network cuts it without a word; the next click waits for the bot to come back.
        bot.Slack.DropSockets();
        var approved = await bot.ReplyToAsync(await bot.Slack.ClickAsync(Approver, card, "Approve migrations"));
        Assert.Contains($"Approved by slack:{Approver}", approved.Text);
        Assert.True(bot.Slack.SocketsOpened >= 3, $"{bot.Slack.SocketsOpened} connections were opened");

        var released = await bot.CardShowingAsync("Release #1", "Released v0.2.0 to production");
        Assert.Equal(card.Ts, released.Ts);
        Assert.Empty(released.Buttons);
        foreach (var app in new[] { "myloware-api", "myloware-orchestrator" })
            Assert.All(bot.Sandbox.Fly.Machines(app), m => Assert.StartsWith($"registry.fly.io/{app}:v0.2.0@sha256:", m.Image));

        var mention = bot.Slack.NewMention(Releaser, Channel, "status");
        Assert.Equal(200, (await bot.Slack.EventAsync(mention)).Status);
        var status = await bot.WaitForAsync("the answer to the mention", () => bot.Slack.Messages(Channel).FirstOrDefault(m => m.ThreadTs == (string)mention["event"]!["ts"]!));
        Assert.Contains("v0.2.0", status.Text);
        Assert.Single(await bot.ReleasesAsync());
    }
}
