using System.Collections.Concurrent;

namespace ChatOps.Sandbox;

/// <summary>How a release's image behaves under the simulated load: a share of its answers are 5xx, and it is slower.</summary>
public sealed record TagBehaviour(double ErrorShare, double Slowdown);

/// <summary>
/// The steady synthetic load on the target services, per machine of each app, as Fly's proxy would count it. Tests and
/// the sandbox's example configuration make a tag bad or an app quiet; both take effect at the next second.
/// </summary>
public sealed class SandboxTraffic
{
    /// <summary>Requests a second each serving machine receives, unless its app is quiet.</summary>
    public double RequestsPerSecond { get; set; } = 5;

    /// <summary>Of every tag not listed: no 5xx (a healthy service still has a few, see <see cref="HealthyErrorShare"/>).</summary>
    public ConcurrentDictionary<string, TagBehaviour> BadTags { get; } = new(StringComparer.Ordinal);

    /// <summary>Apps with less traffic: requests a second per machine (0: none at all).</summary>
    public ConcurrentDictionary<string, double> QuietApps { get; } = new(StringComparer.Ordinal);

    /// <summary>The 5xx a healthy release still answers: real services are never at zero.</summary>
    public double HealthyErrorShare { get; set; } = 0.002;

    public void MakeBad(string tag, double errorShare = 0.08, double slowdown = 3) => BadTags[tag] = new TagBehaviour(errorShare, slowdown);

    public void MakeQuiet(string app, double requestsPerSecond = 0) => QuietApps[app] = requestsPerSecond;

    internal double RateOf(string app) => QuietApps.TryGetValue(app, out var quiet) ? quiet : RequestsPerSecond;

    internal TagBehaviour BehaviourOf(string tag) => BadTags.TryGetValue(tag, out var bad) ? bad : new TagBehaviour(HealthyErrorShare, 1);
}
