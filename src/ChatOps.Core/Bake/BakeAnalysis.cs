namespace ChatOps.Core.Bake;

/// <summary>A service the bake watches: its name on the card and its Fly app in the metrics.</summary>
public sealed record BakeTarget(string Service, string App);

/// <summary>
/// One evaluation of a bake: asks the metrics store for every figure (the release's window evaluated now, the baseline
/// evaluated when the deploy started, over the same length), then judges them with no further I/O.
/// </summary>
public sealed class BakeAnalysis(IMetricsQuery metrics)
{
    private static readonly Measured NotAsked = new(null, "not asked");

    public async Task<BakeReport> EvaluateAsync(IReadOnlyList<BakeTarget> targets, BakeSettings settings, BakeWindow window, CancellationToken cancellationToken)
    {
        var readings = await Task.WhenAll(targets.Select(t => ReadAsync(t, settings.BuiltInChecks, window, cancellationToken)));
        var findings = new List<BakeFinding>();
        if (settings.BuiltInChecks)
        {
            foreach (var reading in readings)
                findings.AddRange(BuiltInChecks.Judge(reading, settings, window));
        }

        foreach (var check in settings.Checks)
        {
            var checkReadings = BakeQueries.IsPerService(check.Query)
                ? await Task.WhenAll(readings.Select((r, i) => ReadCheckAsync(check, targets[i].App, r.Service, r.Now.Requests, window, cancellationToken)))
                : [await ReadCheckAsync(check, null, "", Total(readings), window, cancellationToken)];
            findings.AddRange(checkReadings.Select(r => CustomChecks.Judge(r, settings, window)));
        }

        var figures = settings.BuiltInChecks
            ? readings.Select(r => targets.Count > 1 ? $"{r.Service}: {r.Figures}" : r.Figures).ToList()
            : [$"{BakeText.Count(Total(readings).Value)} requests"];
        return BakeReport.Of(findings, figures);
    }

    private async Task<ServiceReading> ReadAsync(BakeTarget target, bool builtIn, BakeWindow window, CancellationToken cancellationToken)
    {
        var range = window.Range;
        var requests = AskAsync(BakeQueries.Requests(target.App, range), window.Now, cancellationToken);
        if (!builtIn)
            return new ServiceReading(target.Service, new TrafficReading(await requests, NotAsked, NotAsked), new TrafficReading(NotAsked, NotAsked, NotAsked));

        var now = ReadWindowAsync(target.App, range, window.Now, requests, cancellationToken);
        var before = ReadWindowAsync(target.App, range, window.DeployStartedAt, AskAsync(BakeQueries.Requests(target.App, range), window.DeployStartedAt, cancellationToken), cancellationToken);
        return new ServiceReading(target.Service, await now, await before);
    }

    private async Task<TrafficReading> ReadWindowAsync(string app, string range, DateTimeOffset at, Task<Measured> requests, CancellationToken cancellationToken)
    {
        var errors = AskAsync(BakeQueries.Errors(app, range), at, cancellationToken);
        var p95 = AskAsync(BakeQueries.P95(app, range), at, cancellationToken);
        return new TrafficReading(await requests, await errors, await p95);
    }

    private async Task<CheckReading> ReadCheckAsync(
        BakeCheckSettings check, string? app, string service, Measured requests, BakeWindow window, CancellationToken cancellationToken)
    {
        var query = BakeQueries.Fill(check.Query, app, window.Range);
        var now = AskAsync(query, window.Now, cancellationToken);
        var before = check.Compare == BakeSettings.Baseline ? AskAsync(query, window.DeployStartedAt, cancellationToken) : Task.FromResult(NotAsked);
        return new CheckReading(check, service, await now, await before, requests);
    }

    private async Task<Measured> AskAsync(string query, DateTimeOffset at, CancellationToken cancellationToken) =>
        Measured.From(await metrics.QueryAsync(query, at, cancellationToken));

    // The environment's requests: unknown as soon as one service's are.
    private static Measured Total(IReadOnlyList<ServiceReading> readings) =>
        readings.FirstOrDefault(r => r.Now.Requests.Value is null)?.Now.Requests
        ?? Measured.Known(readings.Sum(r => r.Now.Requests.Value ?? 0));
}
