using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Core.Cards;

/// <summary>A platform-neutral picture of a release: one line per step and the buttons of the current gate.</summary>
public sealed record ReleaseCard(
    long ReleaseId,
    string Title,
    ReleaseState State,
    IReadOnlyList<CardLine> Lines,
    IReadOnlyList<string> Details,
    string Summary,
    IReadOnlyList<CardButton> Buttons,
    IReadOnlyList<CardLink>? Links = null)
{
    public bool IsFinal => Runbook.IsFinished(State);
}

/// <summary>A page to open from the card: a few words, and where they lead. Each chat writes the link its own way.</summary>
public sealed record CardLink(string Text, string Url);

public sealed record CardLine(string Step, StepStatus Status, string Timing, string Detail);

public enum ButtonStyle
{
    Default,
    Primary,
    Danger,
}

public sealed record CardButton(string Label, CardAction Action, string Token, ButtonStyle Style);
