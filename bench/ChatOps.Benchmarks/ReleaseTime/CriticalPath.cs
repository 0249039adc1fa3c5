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

    // A machine's calls: read, lease, update, /wait for started, reads until its checks pass, lease release. The reads
    // after a /wait are polling, which this model does not count: the checks pass the profile's time after the machine
    // started and one read then confirms it. Calls the bot makes at the same time in one lane (a lease renewal during
    // the polling) are not added up: the lane takes the time covered by at least one of its calls.
    private static TimeSpan LaneTime(List<SimulatedCall> calls, SandboxLatency latency)
    {
        var spans = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        SimulatedCall? wait = null;
        SimulatedCall? lastPoll = null;
        foreach (var call in calls.OrderBy(c => c.Start))
        {
            if (IsWait(call))
            {
                wait = call;
                lastPoll = null;
                spans.Add((call.Start, call.End));
                continue;
            }
            if (wait is not null && IsMachineRead(call))
            {
                lastPoll = call;
                continue;
            }
            EndPolling();
            spans.Add((call.Start, call.End));
        }
        EndPolling();
        return Covered(spans);

        void EndPolling()
        {
            if (wait is null)
                return;
            spans.Add((wait.End, wait.End + latency.ChecksAfterStart + (lastPoll?.Duration ?? TimeSpan.Zero)));
            wait = null;
        }
    }

    private static bool IsWait(SimulatedCall call) =>
        call is { System: "fly", Method: "GET" } && call.Path.EndsWith("/wait", StringComparison.Ordinal);

    // GET /fly/v1/apps/{app}/machines/{id}: one machine's state.
    private static bool IsMachineRead(SimulatedCall call) =>
        call is { System: "fly", Method: "GET" } && call.Path.Split('/', StringSplitOptions.RemoveEmptyEntries) is [_, _, "apps", _, "machines", _];

    private static TimeSpan Covered(IEnumerable<SimulatedCall> calls) => Covered(calls.Select(c => (c.Start, c.End)));

    private static TimeSpan Covered(IEnumerable<(DateTimeOffset Start, DateTimeOffset End)> spans)
    {
        var covered = TimeSpan.Zero;
        DateTimeOffset? end = null;
        foreach (var (spanStart, spanEnd) in spans.OrderBy(s => s.Start))
        {
            var start = end is { } e && e > spanStart ? e : spanStart;
            if (spanEnd > start)
            {
                covered += spanEnd - start;
                end = spanEnd;
            }
        }
        return covered;
    }
}
