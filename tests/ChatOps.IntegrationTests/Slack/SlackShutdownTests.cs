using ChatOps.Core.Releases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using static ChatOps.IntegrationTests.Slack.SlackBotHost;

namespace ChatOps.IntegrationTests.Slack;

/// <summary>Issue 14, item 6: a command Slack was told "on it" about is finished at shutdown or said lost, never dropped.</summary>
[Collection(SlackCollection.Name)]
public sealed class SlackShutdownTests
{
    [Fact]
    public async Task An_acknowledged_status_still_waiting_for_fly_when_the_host_stops_is_finished_and_answered()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.FlyHold.Close();
        var ack = await bot.Slack.CommandAsync(Releaser, Channel, "/status", "");
        await bot.Sandbox.Faults.FlyHold.Reached;
        Assert.Empty(bot.Slack.HookPosts(ack.HookId));
        // Fly answers once the host has begun to stop: the command is finished during the shutdown.
        bot.Get<IHostApplicationLifetime>().ApplicationStopping.Register(bot.Sandbox.Faults.FlyHold.Release);

        await bot.App.Web.StopAsync();

        Assert.Equal(200, ack.Status);
        var answer = Assert.Single(bot.Slack.HookPosts(ack.HookId));
        Assert.Contains("production", answer.Text);
        Assert.DoesNotContain("restarted before it finished", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_acknowledged_status_that_cannot_finish_before_the_host_stops_is_said_lost_on_its_response_url()
    {
        await using var bot = await StartAsync();
        bot.Sandbox.Faults.FlyHold.Close();
        var ack = await bot.Slack.CommandAsync(Releaser, Channel, "/status", "");
        await bot.Sandbox.Faults.FlyHold.Reached;

        // Fly never answers: the shutdown's grace runs out and the command is cancelled.
        await bot.App.Web.StopAsync();
        bot.Sandbox.Faults.FlyHold.Release();

        Assert.Equal(200, ack.Status);
        var answer = Assert.Single(bot.Slack.HookPosts(ack.HookId));
        Assert.Contains("ChatOps restarted before it finished `/status`", answer.Text, StringComparison.Ordinal);
    }
}
