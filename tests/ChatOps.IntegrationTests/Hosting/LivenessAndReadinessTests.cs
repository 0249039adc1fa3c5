using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Host.Slack;
using ChatOps.Host.Telegram;
using ChatOps.IntegrationTests.Harness;
using ChatOps.IntegrationTests.Slack;
using ChatOps.IntegrationTests.Store;
using ChatOps.IntegrationTests.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ChatOps.IntegrationTests.Hosting;

/// <summary>
/// fly.toml's two checks: /health/live (the process answers; nothing outside it counts) and /health/ready (the store
/// answers and every chat receiver's loop still runs).
/// </summary>
public sealed class LivenessAndReadinessTests
{
    private static async Task<(HttpStatusCode Status, JsonNode Body)> ReadyAsync(BotHost bot)
    {
        using var http = new HttpClient { BaseAddress = bot.BaseUrl };
        using var response = await http.GetAsync("health/ready");
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!);
    }

    private static async Task<HttpStatusCode> LiveAsync(BotHost bot)
    {
        using var http = new HttpClient { BaseAddress = bot.BaseUrl };
        using var response = await http.GetAsync("health/live");
        return response.StatusCode;
    }

    private static string? Check(JsonNode body, string name, string field) => (string?)body["checks"]![name]![field];

    [Fact]
    public async Task Ready_reports_the_store_and_the_telegram_poller_and_turns_unhealthy_when_the_poller_stops_while_live_still_answers()
    {
        await using var bot = await TelegramBotHost.StartAsync();

        var (status, body) = await ReadyAsync(bot);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", Check(body, "store", "status"));
        Assert.Equal("1 chat receivers running", Check(body, "chat receiver", "description"));

        await bot.Services.GetServices<IHostedService>().OfType<TelegramReceiver>().Single().StopAsync(CancellationToken.None);

        (status, body) = await ReadyAsync(bot);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", Check(body, "chat receiver", "status"));
        Assert.Equal("stopped: TelegramReceiver", Check(body, "chat receiver", "description"));
        Assert.Equal(HttpStatusCode.OK, await LiveAsync(bot));
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_slack_socket_loop_has_stopped()
    {
        await using var bot = await SlackBotHost.StartAsync(socketMode: true);
        Assert.Equal(HttpStatusCode.OK, (await ReadyAsync(bot)).Status);

        await bot.Get<SlackReceiver>().StopAsync(CancellationToken.None);

        var (status, body) = await ReadyAsync(bot);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("stopped: SlackReceiver", Check(body, "chat receiver", "description"));
        Assert.Equal(HttpStatusCode.OK, await LiveAsync(bot));
    }

    [Fact]
    public async Task Ready_turns_unhealthy_when_the_postgres_store_is_unreachable_while_live_still_answers()
    {
        var database = new PostgresTestDatabase();
        await database.InitializeAsync();
        try
        {
            await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["ConnectionStrings:ChatOps"] = database.ConnectionString });
            var (status, body) = await ReadyAsync(bot);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("postgres answers", Check(body, "store", "description"));

            // Dropped with its connections: every later query of the store fails, as when the server is gone.
            await database.DisposeAsync();

            (status, body) = await ReadyAsync(bot);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", Check(body, "store", "status"));
            Assert.Equal(HttpStatusCode.OK, await LiveAsync(bot));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }
}
