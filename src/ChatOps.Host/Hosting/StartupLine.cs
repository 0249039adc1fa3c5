using ChatOps.Core.Settings;
using ChatOps.Host.Console;
using ChatOps.Host.Slack;
using ChatOps.Host.Store;
using ChatOps.Host.Telegram;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Hosting;

// The one line, at the default level, that tells whoever reads the logs what this process is: version, mode, the
// chats it takes commands from, the environments it releases to, and where it keeps its state.
internal sealed class StartupLine(
    IConfiguration configuration, IOptions<ChatOpsSettings> settings, IOptions<TelegramOptions> telegram, IOptions<SlackOptions> slack,
    IOptions<ConsoleOptions> console, IStoreProbe store, ILogger<StartupLine> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var mode = configuration["ChatOps:ResolvedMode"] ?? "live";
        log.LogInformation("{StartupLine}", Text(ChatOpsServices.BotVersion, mode, Chats(mode == "sandbox"), settings.Value, store.Kind));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static string Text(string version, string mode, IReadOnlyList<string> chats, ChatOpsSettings settings, string store)
    {
        var environments = settings.Environments.Count == 0
            ? "no environment"
            : "environments " + string.Join(", ", settings.Environments.Select(e => $"{e.Key} ({e.Value.Services.Count} service{(e.Value.Services.Count == 1 ? "" : "s")})"));
        var chat = chats.Count == 0 ? "no chat" : string.Join(", ", chats);
        // The informational version carries the commit after '+'; the line names the release.
        return $"ChatOps {version.Split('+')[0]} {mode}: {chat}, {environments}, store {store}";
    }

    private List<string> Chats(bool sandbox)
    {
        var chats = new List<string>();
        if (telegram.Value.BotToken.Length > 0)
            chats.Add($"Telegram ({(telegram.Value.UsesWebhook ? "webhook" : "long polling")})");
        if (slack.Value.BotToken.Length > 0)
            chats.Add($"Slack ({(slack.Value.UsesSocketMode ? "Socket Mode" : "HTTP events")})");
        if (console.Value.Enabled ?? sandbox)
            chats.Add("console");
        return chats;
    }
}
