using System.Text;
using ChatOps.Core.Domain;

namespace ChatOps.Core.Chat;

/// <summary>A message from any chat platform, reduced to what the bot needs.</summary>
public sealed record IncomingMessage(ChatUser User, ChatChannel Channel, string Text, string? UpdateId = null, ChatPlace? Place = null);

/// <summary>A button press: the opaque token of the button and who pressed it.</summary>
public sealed record ButtonPress(ChatUser User, ChatChannel Channel, string Token, string? UpdateId = null, ChatPlace? Place = null)
{
    // The token is an approval credential: whoever holds it may press the button. A press is logged as a whole where
    // its handling fails, so the record's own text leaves the token out.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"User = {User}, Channel = {Channel}, Token = [hidden], UpdateId = {UpdateId}, Place = {Place}");
        return true;
    }
}
