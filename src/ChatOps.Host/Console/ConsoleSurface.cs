using System.Collections.Concurrent;
using ChatOps.Core.Cards;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;

namespace ChatOps.Host.Console;

/// <summary>
/// The console as a chat platform. A card is drawn whole at its milestones (start, gates, end) and as one
/// line per step change in between, so a transcript stays readable when stdout is a file.
/// </summary>
public sealed class ConsoleSurface(ConsoleIO io) : IChatSurface
{
    private readonly ConcurrentDictionary<long, ReleaseCard> _shown = new();
    private IReadOnlyList<CardButton> _buttons = [];

    public string Platform => "console";

    /// <summary>The numbered buttons of the card drawn last; typing the number presses one.</summary>
    public IReadOnlyList<CardButton> Buttons => Volatile.Read(ref _buttons);

    public Task<string?> ShowCardAsync(ChatChannel channel, string? messageId, ReleaseCard card, CancellationToken cancellationToken)
    {
        _shown.TryGetValue(card.ReleaseId, out var previous);
        _shown[card.ReleaseId] = card;
        if (ConsoleCardView.IsMilestone(card, previous))
        {
            if (card.Buttons.Count > 0 || card.IsFinal)
                Volatile.Write(ref _buttons, card.Buttons);
            io.Write(ConsoleCardView.Render(card));
        }
        else if (previous is not null)
        {
            // A script's transcript shows what each step did; a person at the terminal also sees what is running now.
            var changed = card.Lines.Where((l, i) => i >= previous.Lines.Count || previous.Lines[i].Status != l.Status)
                .Where(l => io.Interactive || l.Status != Core.Releases.StepStatus.Running);
            foreach (var line in changed)
                io.Write($"  #{card.ReleaseId} {ConsoleCardView.Line(line)}\n");
        }
        return Task.FromResult<string?>(messageId ?? $"card-{card.ReleaseId}");
    }

    /// <summary>A notice with its people first, as the chats show it; its buttons become the numbered ones.</summary>
    public Task NotifyAsync(ChatChannel channel, Notice notice, CancellationToken cancellationToken)
    {
        var mentions = string.Join(", ", notice.Mentions.Select(m => "@" + (m.Platform == Platform ? m.Id[(Platform.Length + 1)..] : m.Id)));
        var text = mentions.Length == 0 ? notice.Text : $"{mentions}\n{notice.Text}";
        if (notice.Buttons.Count > 0)
        {
            Volatile.Write(ref _buttons, notice.Buttons);
            text += "\n" + string.Join("   ", notice.Buttons.Select((b, i) => $"[{i + 1}] {b.Label}"));
        }
        io.Write(text + "\n");
        return Task.CompletedTask;
    }

    public Task SayAsync(ChatChannel channel, string text, CancellationToken cancellationToken)
    {
        io.Write(text + "\n");
        return Task.CompletedTask;
    }

    /// <summary>
    /// Output worth reading whole (a migration's SQL at the approval, a command's console) is printed under its step;
    /// the other details are the card's lines already.
    /// </summary>
    public Task ShowDetailAsync(ChatChannel channel, string cardMessageId, StepDetail detail, CancellationToken cancellationToken)
    {
        if (detail.Output is { } output)
            io.Write($"  #{detail.ReleaseId} {detail.Step}: {detail.Text}\n" + string.Concat(output.Split('\n').Select(l => $"  │ {l.TrimEnd()}\n")));
        return Task.CompletedTask;
    }
}
