using ChatOps.Core.Domain;

namespace ChatOps.Core.Chat;

/// <summary>A message from any chat platform, reduced to what the bot needs.</summary>
public sealed record IncomingMessage(ChatUser User, ChatChannel Channel, string Text, string? UpdateId = null, ChatPlace? Place = null);

/// <summary>A button press: the opaque token of the button and who pressed it.</summary>
public sealed record ButtonPress(ChatUser User, ChatChannel Channel, string Token, string? UpdateId = null, ChatPlace? Place = null);

/// <summary>The answer to show the person: as a reply, or as an alert for a refused button press.</summary>
public sealed record BotReply(string Text, bool IsRefusal = false)
{
    public static readonly BotReply None = new("");
}
