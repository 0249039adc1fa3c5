using System.Text.Json.Nodes;
using ChatOps.IntegrationTests.Slack;

namespace ChatOps.IntegrationTests.Hardening;

[Collection(SlackCollection.Name)]
public sealed class SocketLivenessTests
{
    [Fact]
    public async Task A_socket_on_which_nothing_arrives_is_replaced_and_the_health_check_reports_the_socket()
    {
        await using var bot = await SlackBotHost.StartAsync(socketMode: true, settings: new Dictionary<string, string?> { ["Slack:SocketSilence"] = "00:00:01" });

        // The simulator says hello and then nothing: each silent second the bot opens a fresh connection.
        await bot.WaitUntilAsync("two fresh Socket Mode connections", () => bot.Slack.CallsTo("apps.connections.open").Count >= 3);

        using var http = new HttpClient { BaseAddress = bot.BaseUrl };
        var health = JsonNode.Parse(await http.GetStringAsync("/health"))!;
        Assert.Contains((string?)health["slackSocket"]?["state"], new[] { "connected", "reconnecting" });
        Assert.Contains("nothing arrived", (string?)health["slackSocket"]?["lastProblem"]);
    }
}
