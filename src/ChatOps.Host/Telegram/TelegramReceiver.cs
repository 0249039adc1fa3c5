using ChatOps.Core.Commands;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

/// <summary>
/// At start-up: the command menu, then either the webhook or long polling. Telegram being down never stops the
/// bot: every failure is logged and tried again after a pause.
/// </summary>
public sealed class TelegramReceiver(
    ITelegramBotClient bot,
    TelegramBotIdentity identity,
    TelegramUpdateHandler handler,
    IOptions<TelegramOptions> options,
    TimeProvider clock,
    ILogger<TelegramReceiver> log) : BackgroundService
{
    private static readonly UpdateType[] Wanted = [UpdateType.Message, UpdateType.CallbackQuery];
    private static readonly TimeSpan MaxPause = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await StartUpAsync(stoppingToken);
            if (!options.Value.UsesWebhook)
                await PollAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
    }

    private async Task StartUpAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        for (var pause = TimeSpan.FromSeconds(1); ; pause = Longer(pause))
        {
            try
            {
                var username = await identity.UsernameAsync(cancellationToken);
                var commands = CommandHelp.Descriptions.Select(c => new BotCommand(c.Key, c.Value));
                await bot.SetMyCommands(commands: commands, cancellationToken: cancellationToken);
                if (o.UsesWebhook)
                    await bot.SetWebhook(url: o.WebhookUrl, secretToken: o.WebhookSecret, allowedUpdates: Wanted, cancellationToken: cancellationToken);
                else
                    await bot.DeleteWebhook(dropPendingUpdates: false, cancellationToken: cancellationToken);
                log.LogInformation("Telegram bot @{Username} listens by {Mode}", username, o.UsesWebhook ? "webhook" : "long polling");
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                log.LogWarning("Telegram start-up failed ({Error}); trying again in {Pause}", e.Message, pause);
                await Task.Delay(pause, clock, cancellationToken);
            }
        }
    }

    private async Task PollAsync(CancellationToken cancellationToken)
    {
        int? offset = null, polled = null;
        var pause = TimeSpan.FromSeconds(1);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Update[] updates;
                try
                {
                    polled = offset;
                    updates = await bot.GetUpdates(offset: offset, limit: 100, timeout: (int)options.Value.PollTimeout.TotalSeconds,
                        allowedUpdates: Wanted, cancellationToken: cancellationToken);
                    pause = TimeSpan.FromSeconds(1);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    var wait = e is ApiRequestException { Parameters.RetryAfter: { } after } ? TimeSpan.FromSeconds(after) : pause;
                    log.LogWarning("Polling Telegram failed ({Error}); polling again in {Pause}", e.Message, wait);
                    await Task.Delay(wait, clock, cancellationToken);
                    pause = Longer(pause);
                    continue;
                }
                foreach (var update in updates)
                {
                    await handler.HandleSafelyAsync(update, cancellationToken);
                    // Advanced only once handled: an update cut short by a shutdown comes again at the next start.
                    offset = update.Id + 1;
                }
            }
        }
        finally
        {
            if (offset != polled)
                await ConfirmAsync(offset);
        }
    }

    // Telegram forgets updates below the offset of the next poll; at shutdown that poll is made just to say so.
    private async Task ConfirmAsync(int? offset)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            await bot.GetUpdates(offset: offset, limit: 1, timeout: 0, allowedUpdates: Wanted, cancellationToken: timeout.Token);
        }
        catch (Exception e)
        {
            log.LogInformation("Could not confirm the last Telegram updates at shutdown ({Error}); they are deduplicated when they come again", e.Message);
        }
    }

    private static TimeSpan Longer(TimeSpan pause) => pause * 2 < MaxPause ? pause * 2 : MaxPause;
}
