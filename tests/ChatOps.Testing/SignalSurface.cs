using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Testing;

/// <summary>
/// A chat that shows nothing but tells the driver when a release's card offers the approve button and when it
/// is final, so the driver waits on events rather than polling the store. Cards are still rendered (with the
/// open tokens read from the store) on every save, as on a real chat.
/// </summary>
public sealed class SignalSurface : IChatSurface
{
    public static readonly ChatChannel Channel = new("test", "room");

    private readonly ConcurrentDictionary<long, CardSignals> _signals = new();

    public string Platform => Channel.Platform;

    /// <summary>Off in the benchmarks, where keeping every card would grow without bound.</summary>
    public bool RecordCards { get; init; } = true;

    public CardSignals For(long releaseId) => _signals.GetOrAdd(releaseId, _ => new CardSignals());

    public void Forget(long releaseId) => _signals.TryRemove(releaseId, out _);

    /// <summary>Called before each card is shown: a test can act while whoever publishes it still holds the release.</summary>
    public Func<ReleaseCard, Task>? BeforeCard { get; set; }

    public async Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken)
    {
        if (BeforeCard is { } before)
            await before(card);
        if (RecordCards)
            Cards.Enqueue(card);
        var signals = For(card.ReleaseId);
        if (card.State == ReleaseState.AwaitApproval && card.Buttons.Any(b => b.Action == CardAction.Approve))
            signals.Gate.TrySetResult();
        if (card.IsFinal)
            signals.Done.TrySetResult(card.State);
        return messageId ?? $"card-{card.ReleaseId}";
    }

    /// <summary>What the bot said besides its cards, in order.</summary>
    public ConcurrentQueue<string> Said { get; } = new();

    /// <summary>Every card shown, in order.</summary>
    public ConcurrentQueue<ReleaseCard> Cards { get; } = new();

    /// <summary>The new messages that called people, in order.</summary>
    public ConcurrentQueue<Notice> Notices { get; } = new();

    /// <summary>The same new messages with the chat each went to.</summary>
    public ConcurrentQueue<(ChatChannel Channel, Notice Notice)> NoticesIn { get; } = new();

    public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken)
    {
        Notices.Enqueue(notice);
        NoticesIn.Enqueue((channel, notice));
        return Task.CompletedTask;
    }

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken)
    {
        Said.Enqueue(text);
        return Task.CompletedTask;
    }

    /// <summary>What steps said beside their cards, in order.</summary>
    public ConcurrentQueue<StepDetail> Details { get; } = new();

    public Task ShowDetailAsync(ChatChannel channel, string cardMessageId, StepDetail detail, CancellationToken cancellationToken)
    {
        Details.Enqueue(detail);
        return Task.CompletedTask;
    }
}

public sealed class CardSignals
{
    public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource<ReleaseState> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
