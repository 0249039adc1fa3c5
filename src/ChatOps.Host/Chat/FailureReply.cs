using ChatOps.Core.Commands;
using ChatOps.Host.Http;

namespace ChatOps.Host.Chat;

/// <summary>
/// What a person sees when their command failed inside the bot: the outside system's answer when that was the
/// cause (already worded for chat, never a token or query string), otherwise a pointer to the log.
/// </summary>
public static class FailureReply
{
    public static BotReply For(Exception failure) => failure is OutsideCallException outside
        ? new BotReply($"That did not work: {outside.Message}", IsRefusal: true)
        : new BotReply("That did not work; the error is in the bot's log.", IsRefusal: true);
}
