namespace ChatOps.Core.Bake;

/// <summary>The three built-in figures of one window.</summary>
public sealed record TrafficReading(Measured Requests, Measured Errors, Measured P95)
{
    /// <summary>5xx over all responses; unknown without a request count, and never a division by zero.</summary>
    public Measured ErrorRatio =>
        Requests.Value is not { } requests ? Requests
        : requests <= 0 ? new(null, "no requests")
        : Errors.CountOrZero is { } errors ? Measured.Known(errors / requests)
        : Errors;
}

/// <summary>A service's figures in the release's window and in the same length of time before the deploy.</summary>
public sealed record ServiceReading(string Service, TrafficReading Now, TrafficReading Before)
{
    /// <summary>The card's line: <c>5xx 0.4 % (before 0.3 %) · p95 212 ms (before 190 ms) · 1,842 requests</c>.</summary>
    public string Figures =>
        $"5xx {BakeText.Percent(Now.ErrorRatio.Value)} (before {BakeText.Percent(Before.ErrorRatio.Value)}) · " +
        $"p95 {BakeText.Millis(Now.P95.Value)} (before {BakeText.Millis(Before.P95.Value)}) · " +
        $"{BakeText.Count(Now.Requests.Value)} requests";
}
