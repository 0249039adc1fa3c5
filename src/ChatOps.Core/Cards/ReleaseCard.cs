using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Cards;

/// <summary>A platform-neutral picture of a release: one line per step and the buttons of the current gate.</summary>
public sealed record ReleaseCard(
    long ReleaseId,
    string Title,
    ReleaseState State,
    IReadOnlyList<CardLine> Lines,
    IReadOnlyList<string> Details,
    string Summary,
    IReadOnlyList<CardButton> Buttons)
{
    public bool IsFinal => Runbook.IsFinished(State);
}

public sealed record CardLine(string Step, StepStatus Status, string Timing, string Detail);

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

public sealed record CardButton(string Label, CardAction Action, string Token, ButtonStyle Style);
