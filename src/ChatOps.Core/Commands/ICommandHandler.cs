using ChatOps.Core.Domain;
using ChatOps.Core.Rules;

namespace ChatOps.Core.Commands;

/// <summary>
/// Carries out the commands it <see cref="Handles"/>: reads, asks the rules, writes, and says what happened. The bot
/// routes each parsed command to the one handler that takes it; a new command is a new handler.
/// </summary>
public interface ICommandHandler
{
    bool Handles(ChatCommand command);

    Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken);
}

/// <summary>Who typed the command, and where.</summary>
public sealed record Sender(ChatUser User, ChatChannel Channel, ChatPlace? Place);

/// <summary>The answer to show the person: as a reply, or as an alert for a refused button press.</summary>
public sealed record BotReply(string Text, bool IsRefusal = false)
{
    public static readonly BotReply None = new("");

    public static BotReply Of(Decision decision) => new(decision.Message, !decision.Accepted);
}
