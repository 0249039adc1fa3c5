namespace ChatOps.Core.Bake;

/// <summary>
/// The checks every service gets: enough traffic to judge, then the 5xx ratio and the p95 latency of the release against
/// the window before the deploy. Too little traffic on either side judges nothing: inconclusive, never passed.
/// </summary>
public static class BuiltInChecks
{
    public const string Traffic = "traffic";
    public const string ErrorRatio = "5xx";
    public const string Latency = "p95";

    public static IEnumerable<BakeFinding> Judge(ServiceReading reading, BakeSettings settings, BakeWindow window)
    {
        var service = reading.Service;
        if (Enough(reading.Now.Requests, settings.MinRequests) is { } notNow)
        {
            yield return new(Traffic, service, BakeVerdict.Inconclusive, $"not enough traffic to judge: {notNow} in {window.Text}{Needed(reading.Now.Requests, settings.MinRequests)}");
            yield break;
        }

        if (Enough(reading.Before.Requests, settings.MinRequests) is { } notBefore)
        {
            yield return new(Traffic, service, BakeVerdict.Inconclusive, $"nothing to compare with: {notBefore} in the {window.Text} before the deploy{Needed(reading.Before.Requests, settings.MinRequests)}");
            yield break;
        }

        yield return ErrorRatioFinding(service, reading.Now.ErrorRatio, reading.Before.ErrorRatio, settings.ErrorRatioMargin);
        yield return LatencyFinding(service, reading.Now.P95, reading.Before.P95, settings);
    }

    // Null when there are enough requests; else what there was, in words.
    private static string? Enough(Measured requests, int minimum) =>
        requests.Value is not { } count ? $"request count unknown ({requests.Why})"
        : count < minimum || count <= 0 ? $"{BakeText.Count(count)} requests"
        : null;

    private static string Needed(Measured requests, int minimum) => requests.Value is null ? "" : $" ({minimum} needed)";

    private static BakeFinding ErrorRatioFinding(string service, Measured now, Measured before, double margin)
    {
        if (now.Value is not { } ratio)
            return new(ErrorRatio, service, BakeVerdict.Inconclusive, $"5xx ratio unknown: {now.Why}");
        if (before.Value is not { } baseline)
            return new(ErrorRatio, service, BakeVerdict.Inconclusive, $"5xx ratio before the deploy unknown: {before.Why}");
        var figures = $"5xx {BakeText.Percent(ratio)} against {BakeText.Percent(baseline)} before";
        var rise = ratio - baseline;
        return rise > margin
            ? new(ErrorRatio, service, BakeVerdict.Failed, $"{figures}: up {Points(rise)}, {Points(margin)} allowed")
            : new(ErrorRatio, service, BakeVerdict.Passed, figures);
    }

    private static BakeFinding LatencyFinding(string service, Measured now, Measured before, BakeSettings settings)
    {
        if (now.Value is not { } p95)
            return new(Latency, service, BakeVerdict.Inconclusive, $"p95 unknown: {now.Why}");
        if (before.Value is not { } baseline)
            return new(Latency, service, BakeVerdict.Inconclusive, $"p95 before the deploy unknown: {before.Why}");
        var figures = $"p95 {BakeText.Millis(p95)} against {BakeText.Millis(baseline)} before";
        var slower = p95 > baseline * (1 + settings.LatencyMargin) && p95 - baseline > settings.LatencyNoise.TotalSeconds;
        return slower
            ? new(Latency, service, BakeVerdict.Failed,
                $"{figures}: up {Share(baseline > 0 ? (p95 - baseline) / baseline : double.PositiveInfinity)}, {Share(settings.LatencyMargin)} allowed")
            : new(Latency, service, BakeVerdict.Passed, figures);
    }

    private static string Points(double ratio) =>
        BakeText.Number(Math.Round(ratio * 100, 1)) + (Math.Abs(Math.Round(ratio * 100, 1) - 1) < 1e-9 ? " point" : " points");

    private static string Share(double share) => double.IsFinite(share) ? BakeText.Number(Math.Round(share * 100)) + " %" : "from nothing";
}
