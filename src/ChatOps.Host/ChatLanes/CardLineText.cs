using ChatOps.Core.Cards;
using ChatOps.Core.Releases;

namespace ChatOps.Host.ChatLanes;

/// <summary>The words of a card's step line, the same on every platform; the markup around them is the platform's.</summary>
internal static class CardLineText
{
    /// <summary>The step's status symbol and its state ("running 12s", "waiting"), the latter possibly with trailing blanks.</summary>
    public static (string Symbol, string State) Status(CardLine line) => line.Status switch
    {
        StepStatus.Running => ("▶", $"running {line.Timing}"),
        StepStatus.Waiting => ("⏸", "waiting"),
        StepStatus.Done => ("✓", $"done {line.Timing}"),
        StepStatus.Skipped => ("–", "skipped"),
        StepStatus.Failed => ("✗", $"failed {line.Timing}"),
        _ => ("·", "pending"),
    };
}
