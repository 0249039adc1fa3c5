using System.Runtime.InteropServices;
using ChatOps.Sandbox;

namespace ChatOps.Benchmarks.Ingress;

/// <summary>
/// The Telegram Bot API and Slack Web API simulators on loopback, for a host started by a script (the bot answers
/// /whoami through them). Prints their URLs, knows chats -1001000 … -1001000-(chats-1), stops after <c>--seconds</c>
/// or at SIGTERM, and prints how many calls each received.
/// </summary>
public static class ChatSims
{
    public const long FirstChat = -1001000;

    public static async Task<int> RunAsync(int chats, TimeSpan lifetime)
    {
        var slackSecret = Environment.GetEnvironmentVariable("BENCH_SLACK_SECRET") ?? "";
        await using var telegram = await TelegramSimulator.StartAsync();
        await using var slack = await SlackSimulator.StartAsync(slackSecret);
        for (var i = 0; i < chats; i++)
            telegram.AddChat(FirstChat - i, "supergroup", $"bench {i}");
        telegram.AddUser(111, "Bench");
        Console.WriteLine($"telegram {telegram.BaseUrl}");
        Console.WriteLine($"slack {slack.ApiUrl}");
        Console.WriteLine($"slack-hooks {new Uri(slack.BaseUrl, "hooks/")}");
        using var stop = new CancellationTokenSource(lifetime);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        await Task.Delay(Timeout.Infinite, stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        Console.WriteLine($"telegram sendMessage calls: {telegram.CallsTo("sendMessage").Count}, slack hook posts: {slack.HookPosts().Count}");
        return 0;
    }
}
