namespace ChatOps.Core.Bake;

/// <summary>An operator's check (<c>Bake:Checks[]</c>) as read: its values now and before, and the requests it was judged on.</summary>
public sealed record CheckReading(BakeCheckSettings Check, string Service, Measured Now, Measured Before, Measured Requests);

/// <summary>Judges an operator's check: higher is worse, against an absolute limit or the baseline times a factor.</summary>
public static class CustomChecks
{
    public static BakeFinding Judge(CheckReading reading, BakeSettings settings, BakeWindow window)
    {
        var check = reading.Check;
        var minimum = check.MinRequests ?? settings.MinRequests;
        if (reading.Requests.Value is not { } requests)
            return Open(reading, $"request count unknown ({reading.Requests.Why})");
        if (requests < minimum)
            return Open(reading, $"not enough traffic to judge: {BakeText.Count(requests)} requests in {window.Text} ({minimum} needed)");
        if (reading.Now.Value is not { } value)
            return Open(reading, $"{check.Name} unknown: {reading.Now.Why}");

        switch (check.Compare)
        {
            case BakeSettings.Absolute:
                var figures = $"{check.Name} {BakeText.Number(value)}, limit {BakeText.Number(check.Limit)}";
                return value > check.Limit
                    ? new(check.Name, reading.Service, BakeVerdict.Failed, $"{figures}: {BakeText.Number(value - check.Limit)} over")
                    : new(check.Name, reading.Service, BakeVerdict.Passed, figures);
            case BakeSettings.Baseline:
                if (reading.Before.Value is not { } baseline)
                    return Open(reading, $"{check.Name} before the deploy unknown: {reading.Before.Why}");
                var compared = $"{check.Name} {BakeText.Number(value)} against {BakeText.Number(baseline)} before";
                return value > baseline * check.Limit
                    ? new(check.Name, reading.Service, BakeVerdict.Failed,
                        $"{compared}: {(baseline > 0 ? "×" + BakeText.Number(Math.Round(value / baseline, 2)) : "up from nothing")}, ×{BakeText.Number(check.Limit)} allowed")
                    : new(check.Name, reading.Service, BakeVerdict.Passed, compared);
            default:
                return Open(reading, $"Compare must be {BakeSettings.Baseline} or {BakeSettings.Absolute}, not `{check.Compare}`");
        }
    }

    private static BakeFinding Open(CheckReading reading, string why) => new(reading.Check.Name, reading.Service, BakeVerdict.Inconclusive, why);
}
