using ChatOps.Core.Cards;
using ChatOps.Core.Domain;

namespace ChatOps.Core.Ports;

/// <summary>One chat platform as the release runner sees it: post or edit a card, say a line.</summary>
public interface IChatSurface
{
    string Platform { get; }

    /// <summary>Shows the card: edits <paramref name="messageId"/> when given, else posts. Returns the card's message id.</summary>
    Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken);

    Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken);
}
