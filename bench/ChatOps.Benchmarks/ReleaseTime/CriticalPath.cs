using ChatOps.Core.Releases;
using ChatOps.Sandbox;

namespace ChatOps.Benchmarks.ReleaseTime;

/// <summary>
/// The shortest time the calls a release made could have taken with the parallelism the runbook allows. The
/// release's steps run one after the other; inside a step the calls run one after the other (counted as the time
/// covered by at least one call), except in a rollout, where each Fly app's calls and its service's probes form a
/// lane of their own and the step takes as long as its longest lane. In a lane, polling for a machine's checks is
/// not needed work: the lane is charged the profile's time from started to passing and one confirming read instead.
/// </summary>
public static class CriticalPath
{
    private static readonly HashSet<string> Rollouts = [nameof(ReleaseState.Deploy), "Redeploy"];

    public static TimeSpan Of(Release release, IReadOnlyList<SimulatedCall> calls, SandboxOptions sandbox, SandboxLatency latency, string? skipStep)
    {
        var total = TimeSpan.Zero;
        var timed = release.Steps.Where(s => s.StartedAt is not null && s.FinishedAt is not null && s.Name != skipStep).ToList();
        // A rollback's record for its whole state spans its parts (Redeploy, Verify): only the parts are counted.
        foreach (var step in timed.Where(s => !timed.Any(o => o != s && o.StartedAt >= s.StartedAt && o.FinishedAt <= s.FinishedAt)))
        {
            var inStep = calls.Where(c => c.Start >= step.StartedAt && c.Start <= step.FinishedAt).ToList();
            total += Rollouts.Contains(step.Name)
                ? inStep.GroupBy(c => Lane(c, sandbox)).Select(g => LaneTime(g.ToList(), latency)).DefaultIfEmpty().Max()
                : Covered(inStep);
        }
        return total;
    }

    private static string Lane(SimulatedCall call, SandboxOptions sandbox)
    {
        var parts = call.Path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (call.System == "fly" && parts.Length > 3 && parts[2] == "apps")
            return parts[3];
        if (call.System == "services" && parts.Length > 1)
            return sandbox.Apps.FirstOrDefault(a => a.Service == parts[1])?.FlyApp ?? parts[1];
        return "";
    }

    // A machine's calls: read, lease, update, /wait, reads until healthy, lease release. The reads after a /wait
    // but the last are the polling this model does not count; the wait for the checks is counted instead.
    private static TimeSpan LaneTime(List<SimulatedCall> calls, SandboxLatency latency)
    {
        var time = TimeSpan.Zero;
        var afterWait = new List<SimulatedCall>();
        foreach (var call in calls.OrderBy(c => c.Start))
        {
            var isRead = call.Method == "GET" && call.System == "fly" && call.Path.Split('/').Length == 7;
            if (isRead && afterWait.Count > 0 || isRead && call.Path.EndsWith("/wait", StringComparison.Ordinal))
            {
                afterWait.Add(call);
                continue;
            }
            time += Flush(afterWait, latency) + call.Duration;
        }
        return time + Flush(afterWait, latency);
    }

    private static TimeSpan Flush(List<SimulatedCall> afterWait, SandboxLatency latency)
    {
        if (afterWait.Count == 0)
            return TimeSpan.Zero;
        var waits = afterWait.Where(c => c.Path.EndsWith("/wait", StringComparison.Ordinal)).Aggregate(TimeSpan.Zero, (t, c) => t + c.Duration);
        var reads = afterWait.Where(c => !c.Path.EndsWith("/wait", StringComparison.Ordinal)).ToList();
        var checks = waits > TimeSpan.Zero ? latency.ChecksAfterStart : TimeSpan.Zero;
        var time = waits + checks + (reads.Count > 0 ? reads[^1].Duration : TimeSpan.Zero);
        afterWait.Clear();
        return time;
    }

    private static TimeSpan Covered(List<SimulatedCall> calls)
    {
        var covered = TimeSpan.Zero;
        DateTimeOffset? end = null;
        foreach (var call in calls.OrderBy(c => c.Start))
        {
            var start = end is { } e && e > call.Start ? e : call.Start;
            if (call.End > start)
            {
                covered += call.End - start;
                end = call.End;
            }
        }
        return covered;
    }
}
