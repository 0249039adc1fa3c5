namespace ChatOps.Core.Bake;

/// <summary>Three verdicts, never two: what cannot be judged is never a pass.</summary>
public enum BakeVerdict
{
    Passed,
    Failed,
    Inconclusive,
}

/// <summary>One check's verdict for one service (empty: the whole environment), with the figures that made it.</summary>
public sealed record BakeFinding(string Check, string Service, BakeVerdict Verdict, string Detail);

/// <summary>One evaluation of the bake: the verdict, every finding behind it, and a line of figures per service for the card.</summary>
public sealed record BakeReport(BakeVerdict Verdict, IReadOnlyList<BakeFinding> Findings, IReadOnlyList<string> Figures)
{
    public static BakeReport Of(IReadOnlyList<BakeFinding> findings, IReadOnlyList<string> figures) =>
        new(VerdictOf(findings), findings, figures);

    /// <summary>What failed, or else what could not be judged: the words for the card and the approvers.</summary>
    public string Reason =>
        string.Join("; ", Findings.Where(f => f.Verdict == Verdict && Verdict != BakeVerdict.Passed).Select(f => f.Service.Length > 0 ? $"{f.Service}: {f.Detail}" : f.Detail));

    // Any failure fails; else anything unjudged leaves it open; no finding at all judges nothing.
    private static BakeVerdict VerdictOf(IReadOnlyList<BakeFinding> findings) =>
        findings.Any(f => f.Verdict == BakeVerdict.Failed) ? BakeVerdict.Failed
        : findings.Count == 0 || findings.Any(f => f.Verdict == BakeVerdict.Inconclusive) ? BakeVerdict.Inconclusive
        : BakeVerdict.Passed;
}
