using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using ChatOps.Benchmarks.Ingress;
using ChatOps.Host.Console;
using ChatOps.Host.Hosting;
using ChatOps.Host.Sandbox;
using ChatOps.Host.Telegram;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks.Memory;

/// <summary>
/// Issue 14 item 9: <c>--chats</c> Telegram chats each send one <c>/whoami</c> through the bot's webhook (secret
/// check, work queue, store, reply through the chat's card lane), two rounds, with the managed heap measured after
/// a full, compacting GC before, after each round, and after the lanes' idle sweep. The Telegram simulator runs in
/// a child process (bench mode <c>chat-sims</c>), so what it records of every message is not counted here.
/// </summary>
public static class MemoryRun
{
    private const long User = 111;
    private static readonly TimeSpan IdleSweep = TimeSpan.FromSeconds(31);

    public static async Task<int> RunAsync(int chats, int concurrency)
    {
        using var sims = StartSims(chats);
        try
        {
            var telegramApi = await TelegramUrlAsync(sims);
            var secret = "tg_" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
            await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Latency = SandboxLatency.Zero });
            var host = await ChatOpsApp.CreateAsync([], new Dictionary<string, string?>
            {
                ["ChatOps:Mode"] = "sandbox",
                ["Urls"] = "http://127.0.0.1:0",
                ["Console:Enabled"] = "false",
                ["Serilog:MinimumLevel:Default"] = "Warning",
                ["Metrics:Port"] = "0",
                ["Telegram:BotToken"] = TelegramSimulator.DefaultToken,
                ["Telegram:ApiBaseUrl"] = telegramApi,
                ["Telegram:WebhookUrl"] = "https://bench.invalid/telegram/webhook",
                ["Telegram:WebhookSecret"] = secret,
                ["ChatOps:Access:Releasers:0"] = $"telegram:{User}",
            }, services => services.AddSingleton(new ConsoleIO(TextReader.Null, TextWriter.Null, interactive: false)), SandboxSimulators.Shared(sandbox));
            await host.Web.StartAsync();
            try
            {
                var webhook = new Uri(host.Web.Urls.First().TrimEnd('/') + "/telegram/webhook");
                var surface = host.Services.GetRequiredService<TelegramSurface>();
                var updateId = 1;
                // A first round on a few chats loads the code paths, pools and caches that stay for the life of the process.
                await RoundAsync(webhook, secret, 100, concurrency, () => updateId++);
                Print("warm (100 chats)", surface, chats: 100);
                Print("before", surface, chats: 0);
                for (var round = 1; round <= 2; round++)
                {
                    var clock = Stopwatch.StartNew();
                    var failed = await RoundAsync(webhook, secret, chats, concurrency, () => updateId++);
                    Console.WriteLine($"round {round}: {chats} chats × one /whoami in {clock.Elapsed.TotalSeconds:F1} s, {failed} not answered 200");
                    Print($"after round {round}", surface, chats);
                }
                // Lanes are dropped by the sweep that the next chat's message runs once they have been idle for a while.
                await Task.Delay(IdleSweep);
                await RoundAsync(webhook, secret, 1, 1, () => updateId++);
                Print("after the idle sweep", surface, chats: 1);
            }
            finally
            {
                await host.Web.StopAsync();
                await host.DisposeAsync();
            }
        }
        finally
        {
            sims.Kill(entireProcessTree: true);
        }
        return 0;
    }

    private static async Task<int> RoundAsync(Uri webhook, string secret, int chats, int concurrency, Func<int> nextUpdate)
    {
        var failed = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, chats), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            int id;
            lock (webhook)
                id = nextUpdate();
            var status = await TelegramSimulator.PostWebhookAsync(webhook, Update(id, ChatSims.FirstChat - i), secret, ct);
            if (status != HttpStatusCode.OK)
                Interlocked.Increment(ref failed);
        });
        return failed;
    }

    private static JsonObject Update(int updateId, long chat) => new()
    {
        ["update_id"] = updateId,
        ["message"] = new JsonObject
        {
            ["message_id"] = updateId,
            ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["chat"] = new JsonObject { ["id"] = chat, ["type"] = "supergroup", ["title"] = "bench" },
            ["from"] = new JsonObject { ["id"] = User, ["is_bot"] = false, ["first_name"] = "Bench" },
            ["text"] = "/whoami",
            ["entities"] = new JsonArray(new JsonObject { ["type"] = "bot_command", ["offset"] = 0, ["length"] = 7 }),
        },
    };

    private static void Print(string when, TelegramSurface surface, int chats)
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        var heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{when,-22} managed heap {heap / 1048576.0,7:F1} MiB   working set {self.WorkingSet64 / 1048576.0,6:F0} MiB   card lanes {surface.Lanes,6}   (chats in the last round: {chats})"));
    }

    // The simulators in a child process: bench mode chat-sims, from this same build.
    private static Process StartSims(int chats)
    {
        var self = Environment.ProcessPath ?? "dotnet";
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
            start.ArgumentList.Add(typeof(MemoryRun).Assembly.Location);
        foreach (var arg in new[] { "chat-sims", "--chats", chats.ToString(CultureInfo.InvariantCulture), "--seconds", "1800" })
            start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the chat simulators");
    }

    private static async Task<string> TelegramUrlAsync(Process sims)
    {
        while (await sims.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("telegram ", StringComparison.Ordinal))
                return line["telegram ".Length..].Trim();
        }
        throw new InvalidOperationException($"the chat simulators stopped before saying their URL: {await sims.StandardError.ReadToEndAsync()}");
    }
}
