using System.Globalization;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Host.Chat;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Requests;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace ChatOps.Host.Telegram;

/// <summary>
/// Turns Telegram updates into the bot's commands and button presses, whether they came by polling or webhook.
/// The Telegram update id is the dedupe key, so a redelivered update has no second effect.
/// </summary>
public sealed class TelegramUpdateHandler(
    ChatOpsBot chatOps,
    ITelegramBotClient bot,
    TelegramSurface surface,
    TelegramBotIdentity identity,
    People people,
    IOptions<TelegramOptions> options,
    ILogger<TelegramUpdateHandler> log)
{
    private const int MaxAnswerLength = 200;

    /// <summary>Never throws for a bad update: Telegram would deliver it again and again.</summary>
    public Task HandleSafelyAsync(Update update, CancellationToken cancellationToken) =>
        HandleSafelyAsync(update, replyInAnswer: false, cancellationToken);

    /// <summary>
    /// As <see cref="HandleSafelyAsync(Update, CancellationToken)"/>; with <paramref name="replyInAnswer"/> (webhook
    /// mode) a command's reply may come back to be sent in the webhook's answer instead of by a call of our own.
    /// </summary>
    public async Task<SendMessageRequest?> HandleSafelyAsync(Update update, bool replyInAnswer, CancellationToken cancellationToken)
    {
        try
        {
            if (update.Message is { } message)
                return await OnMessageAsync(update.Id, message, replyInAnswer, cancellationToken);
            if (update.CallbackQuery is { } query)
                await OnButtonAsync(update.Id, query, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Telegram update {UpdateId} could not be handled", update.Id);
        }
        return null;
    }

    private async Task<SendMessageRequest?> OnMessageAsync(int updateId, Message message, bool replyInAnswer, CancellationToken cancellationToken)
    {
        if (message.From is not { } from || TelegramCommandText.From(message.Text, message.Entities) is not { } command)
            return null;
        if (!IsAllowed(updateId, message.Chat.Id))
            return null;
        var place = Place(message.Chat);
        if (!command.IsFor(await identity.UsernameAsync(cancellationToken)))
        {
            log.LogDebug("Ignored {Command} in chat {ChatId}: it is addressed to @{Addressee}", command.Command, message.Chat.Id, command.Addressee);
            return null;
        }
        var incoming = new IncomingMessage(User(from), Channel(message.Chat.Id), command.Text, Id(updateId), place);
        BotReply reply;
        try
        {
            reply = await chatOps.HandleAsync(incoming, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Telegram command {UpdateId} could not be handled", updateId);
            reply = FailureReply.For(e);
        }
        if (reply.Text.Length == 0)
            return null;
        if (replyInAnswer)
            return await surface.ReplyInAnswerAsync(message.Chat.Id, message.Id, reply.Text, cancellationToken);
        await surface.ReplyAsync(message.Chat.Id, message.Id, reply.Text, cancellationToken);
        return null;
    }

    private async Task OnButtonAsync(int updateId, CallbackQuery query, CancellationToken cancellationToken)
    {
        var reply = BotReply.None;
        try
        {
            if (query.Message?.Chat is { } chat && IsAllowed(updateId, chat.Id) && query.Data is { Length: > 0 } token)
                reply = await chatOps.PressAsync(new ButtonPress(User(query.From), Channel(chat.Id), token, Id(updateId), Place(chat)), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogError(e, "Telegram button press {UpdateId} could not be handled", updateId);
            reply = FailureReply.For(e);
        }
        finally
        {
            // Always answered, or the person's client spins until it times out.
            await AnswerAsync(query.Id, reply, cancellationToken);
        }
    }

    private async Task AnswerAsync(string queryId, BotReply reply, CancellationToken cancellationToken)
    {
        try
        {
            var text = reply.Text.Length > MaxAnswerLength ? reply.Text[..(MaxAnswerLength - 1)] + "…" : reply.Text;
            await bot.AnswerCallbackQuery(callbackQueryId: queryId, text: text.Length > 0 ? text : null, showAlert: reply.IsRefusal, cancellationToken: cancellationToken);
        }
        catch (ApiRequestException e)
        {
            // Usually "query is too old": the press waited too long. The press itself has been handled.
            log.LogInformation("Could not answer a Telegram button press: {Error}", e.Message);
        }
    }

    // Live, the core's stranger rules decide and answer (AccessRules.MayTalkIn); the sandbox keeps the quiet allow list.
    private bool IsAllowed(int updateId, long chatId)
    {
        if (options.Value.Live || options.Value.IsAllowed(chatId))
            return true;
        log.LogWarning("Ignored Telegram update {UpdateId} from chat {ChatId}: it is not in Telegram:AllowedChatIds", updateId, chatId);
        return false;
    }

    private ChatPlace Place(global::Telegram.Bot.Types.Chat chat) => new(chat.Id.ToString(CultureInfo.InvariantCulture), chat.Type == ChatType.Private,
        options.Value.AllowedChatIds.Contains(chat.Id), options.Value.Live, "Telegram:AllowedChatIds");

    // Every update carries the sender's current name: remembered so cards and calls can say who, not which number.
    private ChatUser User(User from)
    {
        var user = ChatUser.Of(TelegramSurface.PlatformName, from.Id.ToString(CultureInfo.InvariantCulture));
        people.Remember(user, $"{from.FirstName} {from.LastName}", from.Username);
        return user;
    }

    private static ChatChannel Channel(long chatId) => new(TelegramSurface.PlatformName, chatId.ToString(CultureInfo.InvariantCulture));

    private static string Id(int updateId) => updateId.ToString(CultureInfo.InvariantCulture);
}
