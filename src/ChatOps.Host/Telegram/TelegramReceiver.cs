using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Host.Chat;
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
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(10);
    private const int Capacity = 100;
    private const int CommandWorkers = 8;

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

    /// <summary>
    /// Long polling with updates handled side by side (<see cref="ChatWorkQueue"/>: one chat's commands in order, a
    /// button press never behind a command). Telegram forgets every update below the offset of the next poll, so the
    /// offset stops at the oldest update still being handled: a crash brings it and everything after it back (the
    /// update log makes the ones already handled a no-op). Updates that come back while still in hand are skipped.
    /// </summary>
    private async Task PollAsync(CancellationToken cancellationToken)
    {
        var queue = new ChatWorkQueue("Telegram updates", Capacity, CommandWorkers, log);
        var inHand = new SortedSet<int>();
        var dispatched = new HashSet<int>();
        var finished = new SemaphoreSlim(0);
        int? next = null, polled = null;
        var pause = TimeSpan.FromSeconds(1);
        int? Offset()
        {
            lock (inHand)
                return inHand.Count > 0 ? inHand.Min : next;
        }
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                Update[] updates;
                try
                {
                    polled = Offset();
                    dispatched.RemoveWhere(id => id < polled);
                    updates = await bot.GetUpdates(offset: polled, limit: 100, timeout: (int)options.Value.PollTimeout.TotalSeconds,
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
                var fresh = 0;
                foreach (var update in updates.Where(u => !dispatched.Contains(u.Id)))
                {
                    lock (inHand)
                        inHand.Add(update.Id);
                    var handled = queue.TryEnqueue(Lane(update), $"update {update.Id}", token => handler.HandleSafelyAsync(update, token));
                    if (handled is null)
                    {
                        // Full: this one and the rest of the batch come again with a later poll, still in order.
                        lock (inHand)
                            inHand.Remove(update.Id);
                        break;
                    }
                    fresh++;
                    dispatched.Add(update.Id);
                    next = Math.Max(next ?? 0, update.Id + 1);
                    _ = handled.ContinueWith(_ =>
                    {
                        lock (inHand)
                            inHand.Remove(update.Id);
                        finished.Release();
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
                // Only updates already in hand came back: Telegram answers such a poll at once, so wait for one to
                // finish (or a second, for new ones) instead of asking again in a tight loop.
                if (fresh == 0 && updates.Length > 0)
                {
                    await finished.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken);
                    while (finished.CurrentCount > 0)
                        finished.Wait(0, CancellationToken.None);
                }
            }
        }
        finally
        {
            await queue.StopAsync(ShutdownGrace);
            if (Offset() != polled)
                await ConfirmAsync(Offset());
        }
    }

    // A chat's messages keep their order; a button press has no lane and never waits behind a command.
    private static string? Lane(Update update) => update.CallbackQuery is not null ? null : $"chat:{update.Message?.Chat.Id}";

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
