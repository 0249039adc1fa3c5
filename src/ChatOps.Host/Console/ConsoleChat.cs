using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Host.Chat;
using ChatOps.Host.Hosting;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Console;

/// <summary>
/// A chat in the terminal, in the spirit of Hubot's shell adapter: commands from stdin, cards on stdout,
/// buttons as numbers, <c>/as name</c> to speak as someone else, <c>/quit</c> to leave.
/// </summary>
public sealed class ConsoleChat(
    ConsoleIO io,
    ConsoleSurface surface,
    ChatOpsBot bot,
    ReleaseQueue work,
    AccessRules rules,
    IOptions<ConsoleOptions> options,
    StartupBanner banner,
    IHostApplicationLifetime lifetime,
    ILogger<ConsoleChat> log) : BackgroundService
{
    public static readonly ChatChannel Channel = new("console", "terminal");

    private ChatUser _user = ConsoleOptions.UserOf(options.Value.User);

    public ChatUser User => _user;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        io.Write($"ChatOps console — you are {_user}. /help lists the commands, /as <name> changes who speaks, /quit leaves.\n");
        foreach (var line in banner.Lines)
            io.Write(line + "\n");
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var line = await io.Input.ReadLineAsync(stoppingToken);
                if (line is null || !await HandleLineAsync(line, stoppingToken))
                    break;
            }
            if (!io.Interactive)
                await work.WhenIdleAsync(stoppingToken);
            // A script's stdin can end before the host has finished starting; stopping then would cancel Kestrel's bind
            // half-way, and the host would end on a cancelled task's stack trace instead of leaving cleanly.
            await StartedAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        log.LogInformation("Console chat closed");
        lifetime.StopApplication();
    }

    private async Task StartedAsync(CancellationToken cancellationToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Handles one typed line; false when the person asked to quit.</summary>
    public async Task<bool> HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        line = line.Trim();
        if (line.Length == 0)
            return true;
        if (!io.Interactive)
            io.Write($"{_user.Id["console:".Length..]}> {line}\n");
        if (line is "/quit" or "/exit")
            return false;

        if (line.StartsWith("/as", StringComparison.OrdinalIgnoreCase) && (line.Length == 3 || line[3] == ' '))
            io.Write(SwitchUser(line[3..].Trim()) + "\n");
        else if (int.TryParse(line, out var number))
            await PressAsync(number, cancellationToken);
        else
        {
            var reply = await SafelyAsync(() => bot.HandleAsync(new IncomingMessage(_user, Channel, line), cancellationToken), cancellationToken);
            if (reply.Text.Length > 0)
                io.Write(reply.Text + "\n");
        }
        if (!io.Interactive)
            await work.WhenIdleAsync(cancellationToken);
        return true;
    }

    private string SwitchUser(string name)
    {
        if (!ConsoleOptions.IsUserName(name))
            return "Usage: /as <name>, e.g. /as bob (letters, digits, . _ -; at most 32).";
        _user = ConsoleOptions.UserOf(name);
        var roles = rules.RolesOf(_user);
        return $"Now speaking as {_user} ({(roles.Count == 0 ? "no roles" : string.Join(", ", roles))}).";
    }

    private async Task PressAsync(int number, CancellationToken cancellationToken)
    {
        var buttons = surface.Buttons;
        if (number < 1 || number > buttons.Count)
        {
            io.Write(buttons.Count == 0 ? "There are no buttons to press right now.\n" : $"Choose a button from 1 to {buttons.Count}.\n");
            return;
        }
        var reply = await SafelyAsync(() => bot.PressAsync(new ButtonPress(_user, Channel, buttons[number - 1].Token), cancellationToken), cancellationToken);
        io.Write((reply.IsRefusal ? "⛔ " : "") + reply.Text + "\n");
    }

    /// <summary>A command that fails is answered and logged; the console stays open for the next one.</summary>
    private async Task<BotReply> SafelyAsync(Func<Task<BotReply>> handle, CancellationToken cancellationToken)
    {
        try
        {
            return await handle();
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "A console command could not be handled");
            return FailureReply.For(e);
        }
    }
}
