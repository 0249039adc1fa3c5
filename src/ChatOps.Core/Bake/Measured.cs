namespace ChatOps.Core.Bake;

/// <summary>A figure read from a query's answer, or why there is none. NaN, infinities, no series and errors are never numbers.</summary>
public sealed record Measured(double? Value, string Why, bool NoSeries = false)
{
    public static Measured Known(double value) => new(value, "");

    public static Measured From(MetricsAnswer answer)
    {
        if (answer.Error is { } error)
            return new(null, $"the query failed: {error}");
        if (answer.Samples.Count == 0)
            return new(null, "no series", NoSeries: true);
        var finite = answer.Samples.Select(s => s.Value).Where(double.IsFinite).ToList();
        // Several series (a query without sum): the worst, since every check reads higher as worse.
        return finite.Count > 0 ? Known(finite.Max())
            : answer.Samples.Any(s => double.IsNaN(s.Value)) ? new(null, "NaN (no samples to compute it from)")
            : new(null, "infinite");
    }

    /// <summary>A count: no series means none counted yet, which is zero only where the caller knows the traffic.</summary>
    public double? CountOrZero => Value ?? (NoSeries ? 0 : null);
}
