namespace ChatOps.Core.Cards;

/// <summary>
/// What a step said beyond its line on the card: a machine updated, a command's console output, an error in full.
/// <paramref name="Step"/> is the step as the card names it.
/// </summary>
public sealed record StepDetail(long ReleaseId, string Step, string Text)
{
    /// <summary>Output to show as it came (a command's console), else null.</summary>
    public string? Output { get; init; }

    /// <summary>The step failed, and <see cref="Text"/> says why.</summary>
    public bool IsError { get; init; }
}
