using ChatOps.Core.Releases;

namespace ChatOps.Core.Rules;

/// <summary>The answer to a person's decision: accepted or not, and the words to show them.</summary>
public sealed record Decision(bool Accepted, string Message)
{
    public static Decision Yes(string message) => new(true, message);

    public static Decision No(string message) => new(false, message);
}

public sealed record StartResult(Release? Release, string? Refusal)
{
    public static StartResult No(string refusal) => new(null, refusal);
}
