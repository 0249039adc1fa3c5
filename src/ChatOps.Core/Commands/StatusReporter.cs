using System.Globalization;
using System.Text;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>Answers /status and /history in words an on-call engineer can read at 3 a.m.</summary>
/// <remarks>People are shown by name where the bot knows it; the audit trail it reads keeps their ids.</remarks>
public sealed class StatusReporter(ChatOpsSettings settings, IReleaseStore releases, IEnvironmentStore environments, IDeployTarget deployTarget, People people, TimeProvider clock)
{
    public async Task<string> EnvironmentAsync(string environment, CancellationToken cancellationToken)
    {
        var text = new StringBuilder($"{environment}:\n");
        var active = await releases.ListAsync(environment, activeOnly: true, limit: 5, cancellationToken);
        foreach (var release in active)
            text.Append($"  running: {release.Title} at {Runbook.Label(release.State.ToString())} (by {people.NameOf(release.Requester)})\n");
        if (active.Count == 0)
            text.Append("  nothing running\n");

        var state = await environments.GetAsync(environment, cancellationToken);
        foreach (var service in settings.Environments[environment].Services)
            text.Append("  ").Append(await DescribeServiceAsync(service, state, cancellationToken)).Append('\n');
        text.Append($"  last migration: {state.LastMigration ?? "none recorded"}\n");
        if (state.Lock is { } held && held.IsLive(clock.GetUtcNow()))
            text.Append($"  🔒 locked by {people.NameOf(held.LockedBy)} since {ChatTime.Minute(held.At)}: {held.Reason}"
                + (held.Until is { } until ? $" (until {ChatTime.Minute(until)})" : " (until /unlock)") + "\n");
        return text.ToString().TrimEnd();
    }

    private async Task<string> DescribeServiceAsync(ServiceSettings service, EnvironmentState state, CancellationToken cancellationToken)
    {
        try
        {
            // Ask the platform, not our memory: someone may have deployed by hand.
            var machines = await deployTarget.ListMachinesAsync(service.FlyApp, cancellationToken);
            var images = machines.Select(m => m.Image).Distinct().ToList();
            var tags = string.Join(", ", images.Select(TagOf));
            return $"{service.Name}: {tags} on {machines.Count} machine{(machines.Count == 1 ? "" : "s")} ({string.Join(", ", images)})";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var recorded = state.Services.FirstOrDefault(s => s.Service == service.Name);
            return $"{service.Name}: {recorded?.Tag ?? "unknown"} (recorded; Fly did not answer: {e.Message})";
        }
    }

    public static string TagOf(string image)
    {
        var slash = image.LastIndexOf('/');
        var colon = image.IndexOf(':', slash + 1);
        var at = image.IndexOf('@', StringComparison.Ordinal);
        if (colon < 0)
            return at >= 0 ? image[(at + 1)..] : "latest";
        return at > colon ? image[(colon + 1)..at] : image[(colon + 1)..];
    }

    /// <summary>Reads the audit trail: who started what, how each ended, locks and forced unlocks.</summary>
    public async Task<string> HistoryAsync(string environment, CancellationToken cancellationToken)
    {
        var events = await releases.EventsAsync(null, environment, 500, cancellationToken);
        var lines = events
            .Where(e => e.Action is "request" or "lock" or "unlock" or "unlock-forced"
                || (e.ToState is { } to && Enum.TryParse<ReleaseState>(to, out var state) && Runbook.IsFinished(state) && e.FromState != e.ToState))
            .Reverse()
            .Take(15)
            .Select(e => $"  {ChatTime.Minute(e.At)} {(e.ReleaseId is { } id ? $"#{id} " : "")}{Describe(e)}")
            .ToList();
        return lines.Count == 0
            ? $"No releases in {environment} yet."
            : $"Recent history of {environment} (newest first):\n{string.Join('\n', lines)}";
    }

    private string Describe(AuditEvent e) => e.Action switch
    {
        "request" => $"{e.Detail} by {people.NameOf(e.Actor)}",
        "lock" => $"locked by {people.NameOf(e.Actor)}: {e.Detail}",
        "unlock" => $"unlocked by {people.NameOf(e.Actor)}",
        "unlock-forced" => $"unlocked by {people.NameOf(e.Actor)} with --force ({e.Detail})",
        _ => $"{e.ToState}{(e.Detail.Length > 0 ? $": {Shorten(e.Detail)}" : "")}",
    };

    private static string Shorten(string text) => text.Length <= 120 ? text : text[..120] + "…";

    /// <summary>/history --stats: the four delivery figures of an environment over a period, from its release records.</summary>
    public async Task<string> StatsAsync(string environment, TimeSpan period, CancellationToken cancellationToken)
    {
        var history = await releases.ListAsync(environment, activeOnly: false, limit: 1000, cancellationToken);
        var f = DeliveryFigures.Of(environment, history, clock.GetUtcNow(), period);
        string Span(TimeSpan? t) => t is { } v ? PromotionRule.Words(v) : "n/a";
        var days = $"{period.TotalDays:0}d";
        return $"Delivery figures for {environment}, last {days}:\n"
            + $"  deployment frequency: {f.Deployments} release{(f.Deployments == 1 ? "" : "s")} reached Released ({f.PerWeek.ToString("0.#", CultureInfo.InvariantCulture)} a week)\n"
            + $"  lead time for changes: {Span(f.LeadTime)} median, oldest commit → Released ({f.LeadTimeSamples} release{(f.LeadTimeSamples == 1 ? "" : "s")} with commit times)\n"
            + $"  change failure rate: {(f.ChangeFailureRate is { } rate ? rate.ToString("0%", CultureInfo.InvariantCulture) : "n/a")} ({f.FailedChanges} of {f.Changes} changes failed after Migrate/Deploy or were rolled back)\n"
            + $"  time to restore: {Span(f.TimeToRestore)} median ({f.Restores} restore{(f.Restores == 1 ? "" : "s")}: failure → rolled back or next release Released)";
    }

    public async Task<string> TimelineAsync(long releaseId, CancellationToken cancellationToken)
    {
        var release = await releases.GetAsync(releaseId, cancellationToken);
        if (release is null)
            return $"There is no release #{releaseId}.";
        var events = await releases.EventsAsync(releaseId, null, 500, cancellationToken);
        var text = new StringBuilder($"{release.Title} — {release.State}{(release.Error is null ? "" : $": {release.Error}")}\n");
        foreach (var e in events)
            text.Append($"  {ChatTime.Second(e.At)} {people.NameOf(e.Actor)} {e.Action}{(e.ToState is null ? "" : $" → {e.ToState}")}{(e.Detail.Length == 0 ? "" : $": {e.Detail}")}\n");
        return text.ToString().TrimEnd();
    }
}
