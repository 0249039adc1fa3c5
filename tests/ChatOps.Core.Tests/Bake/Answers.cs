using System.Globalization;
using ChatOps.Core.Bake;

namespace ChatOps.Core.Tests.Bake;

// Table cells for answers: a number, "NaN", "+Inf", "none" (no series matched) or "error" (the query failed).
internal static class Answers
{
    public static MetricsAnswer Of(string cell) => cell switch
    {
        "none" => new MetricsAnswer([], null),
        "error" => MetricsAnswer.Failed("Prometheus answered 503 Service Unavailable"),
        "NaN" => MetricsAnswer.Of(double.NaN),
        "+Inf" => MetricsAnswer.Of(double.PositiveInfinity),
        _ => MetricsAnswer.Of(double.Parse(cell, CultureInfo.InvariantCulture)),
    };

    public static Measured Measure(string cell) => Measured.From(Of(cell));

    public static TrafficReading Traffic(string requests, string errors, string p95) => new(Measure(requests), Measure(errors), Measure(p95));

    public static readonly DateTimeOffset DeployStart = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    // Deployed in two minutes, then baked for ten.
    public static readonly BakeWindow TenMinutes = new(DeployStart, DeployStart.AddMinutes(2), DeployStart.AddMinutes(12));
}
