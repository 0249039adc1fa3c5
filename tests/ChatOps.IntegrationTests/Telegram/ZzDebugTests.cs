using static ChatOps.IntegrationTests.Telegram.TelegramBotHost;

namespace ChatOps.IntegrationTests.Telegram;

[Collection(TelegramCollection.Name)]
public sealed class ZzDebugTests
{
    [Fact]
    public async Task Debug_release()
    {
        var writer = new StreamWriter("/tmp/tg-debug.log") { AutoFlush = true };
        Console.SetError(writer);
        await using var bot = await StartAsync(new Dictionary<string, string?> { ["Logging:Level"] = "Warning" });
        var update = bot.Telegram.NewTextUpdate(Group, Releaser, "/release v0.2.0");
        bot.Telegram.Enqueue(update);
        await Task.Delay(5000);
        foreach (var c in bot.Telegram.Calls)
            writer.WriteLine($"CALL {c.At} {c.Method} {c.Status} {c.Error} {c.Body.ToJsonString()[..Math.Min(100, c.Body.ToJsonString().Length)]}");
    }
}
