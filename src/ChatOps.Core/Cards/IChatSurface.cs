using ChatOps.Core.Domain;

namespace ChatOps.Core.Cards;

/// <summary>One chat platform as the release runner sees it: post or edit a card, say a line, call people, a step's detail.</summary>
public interface IChatSurface
{
    string Platform { get; }

    /// <summary>Shows the card: edits <paramref name="messageId"/> when given, else posts. Returns the card's message id.</summary>
    Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken);

    Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken);

    /// <summary>
    /// Posts a new message that mentions people in the platform's own way, so that their client notifies them:
    /// an edited card notifies nobody.
    /// </summary>
    Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken);

    /// <summary>
    /// Detail of a step, for a surface with a place for it beside the card in <paramref name="cardMessageId"/> (Slack:
    /// the card's thread). The card shows the gist, so a surface without such a place shows nothing more.
    /// </summary>
    Task ShowDetailAsync(ChatChannel channel, string cardMessageId, StepDetail detail, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>
/// A new message for people: who is called (mentioned before the text), what to say, and the buttons that apply.
/// Mentions of users of another platform are written as their id, since they cannot be notified here.
/// </summary>
public sealed record Notice(IReadOnlyList<ChatUser> Mentions, string Text, IReadOnlyList<CardButton> Buttons)
{
    public Notice(IReadOnlyList<ChatUser> mentions, string text)
        : this(mentions, text, [])
    {
    }
}
