using ChatOps.Core.Bake;
using ChatOps.Core.Ports;
using ChatOps.Core.Settings;
using ChatOps.Host.Doctor;

namespace ChatOps.Host.PrometheusQueries;

/// <summary>
/// Prometheus answers with the Fly token, and every app of every environment has proxy metrics in it: an app without
/// them has no traffic through Fly's proxy, or the token cannot read the org's metrics, and its bake would only ever be
/// inconclusive.
/// </summary>
internal sealed class PrometheusDoctor(IMetricsQuery metrics, ChatOpsSettings settings, TimeProvider time) : IDoctorChecks
{
    private const string TokenFix =
        "check Prometheus:Url (https://api.fly.io/prometheus/<org-slug>) and that the token (Prometheus:Token, else FLY_API_TOKEN) may read the org's metrics: an org token, not one app's deploy token.";

    public string Name => "Prometheus";

    public string GeneralFix => "check Prometheus:Url and that api.fly.io is reachable from the bot.";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reachable = await metrics.QueryAsync("vector(1)", now, cancellationToken);
        if (reachable.Error is { } error)
            return [DoctorCheck.Problem("Prometheus", $"does not answer a query: {error}.", TokenFix)];

        var rows = new List<DoctorCheck> { DoctorCheck.Pass("Prometheus", "answers queries.") };
        var apps = settings.Environments.Values.SelectMany(e => e.Services.Select(s => s.FlyApp)).Where(a => a.Length > 0).Distinct(StringComparer.Ordinal);
        foreach (var app in apps)
        {
            var series = await metrics.QueryAsync($"count({BakeQueries.Responses}{{app=\"{app}\"}})", now, cancellationToken);
            var count = Measured.From(series).Value;
            rows.Add(count > 0
                ? DoctorCheck.Pass($"Prometheus metrics of {app}", $"{count:0} series of {BakeQueries.Responses}.")
                : DoctorCheck.Problem($"Prometheus metrics of {app}", series.Error is { } e ? $"cannot be read: {e}." : $"no {BakeQueries.Responses} series: no traffic through Fly's proxy yet, or not visible to this token.",
                    TokenFix));
        }
        return rows;
    }
}
