namespace ChatOps.Core.Bake;

/// <summary>The metrics store the bake reads (Fly's managed Prometheus): one instant query at a given time.</summary>
public interface IMetricsQuery
{
    /// <summary>
    /// Evaluates <paramref name="query"/> at <paramref name="at"/>. A refused query, a timeout, or a server that kept
    /// failing after its retries is an answer with an <see cref="MetricsAnswer.Error"/>, not an exception: the analysis
    /// reads it as inconclusive and says why, and the bake asks again at its next interval.
    /// </summary>
    Task<MetricsAnswer> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken);
}

/// <summary>One series of an instant vector: its labels and its value, which may be NaN or infinite.</summary>
public sealed record MetricsSample(IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>What a query gave: the samples (an empty list means no series matched), or why there are none.</summary>
public sealed record MetricsAnswer(IReadOnlyList<MetricsSample> Samples, string? Error)
{
    public static MetricsAnswer Of(params double[] values) =>
        new([.. values.Select(v => new MetricsSample(new Dictionary<string, string>(), v))], null);

    public static MetricsAnswer Failed(string error) => new([], error);

    public bool Succeeded => Error is null;
}
