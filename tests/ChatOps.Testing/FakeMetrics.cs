using System.Globalization;
using ChatOps.Core.Bake;

namespace ChatOps.Testing;

/// <summary>A service's traffic in a window, as the bake's built-in queries read it.</summary>
public sealed record TrafficFigures(double Requests, double Errors, double P95Seconds);

/// <summary>
/// The metrics store as two sets of figures, the same for every app: <see cref="Before"/> answers queries evaluated
/// up to <see cref="Boundary"/> (the deploy), <see cref="After"/> those evaluated later. It answers the built-in queries
/// only, refuses any other as Prometheus refuses a bad one, and counts what it was asked.
/// </summary>
public sealed class FakeMetrics(DateTimeOffset boundary) : IMetricsQuery
{
    private int _asked;

    public DateTimeOffset Boundary { get; set; } = boundary;
    public TrafficFigures Before { get; set; } = new(1700, 5, 0.190);
    public TrafficFigures After { get; set; } = new(1842, 7, 0.212);

    public int Asked => _asked;

    public Task<MetricsAnswer> QueryAsync(string query, DateTimeOffset at, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        var figures = at <= Boundary ? Before : After;
        var value = query.StartsWith("histogram_quantile(", StringComparison.Ordinal) ? figures.P95Seconds
            : query.Contains("status=~", StringComparison.Ordinal) ? figures.Errors
            : query.StartsWith("sum(increase(", StringComparison.Ordinal) ? figures.Requests
            : (double?)null;
        return Task.FromResult(value is { } v ? MetricsAnswer.Of(v) : MetricsAnswer.Failed($"bad_data: unknown query {query.ToString(CultureInfo.InvariantCulture)}"));
    }
}
