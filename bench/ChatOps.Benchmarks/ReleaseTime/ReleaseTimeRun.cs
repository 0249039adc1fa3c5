using System.Diagnostics;
using System.Globalization;
using ChatOps.Benchmarks.Takeover;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Hosting;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks.ReleaseTime;

/// <summary>
/// A release and then a rollback through the real host in sandbox mode (embedded store), against simulators on
/// a latency profile; each is timed from the command to its last step and set against its critical path. Time
/// spent waiting for the human approver is the operator's, not the bot's, and is left out of both.
/// </summary>
public static class ReleaseTimeRun
{
    public static void PrintHeader() =>
        Console.WriteLine("| profile | deploy order | what | bot wall time | critical path | ratio |\n| --- | --- | --- | ---: | ---: | ---: |");

    public static async Task RunAsync(string profile, string order)
    {
        var latency = SandboxLatency.Named(profile, TimeSpan.FromMilliseconds(40));
        var options = new SandboxOptions { Latency = latency };
        await using var sandbox = await SandboxServer.StartAsync(options);
        var host = await StartHostAsync(sandbox, order);
        try
        {
            await MeasureAsync(host, sandbox, latency, profile, order, "release", "/release v0.2.0");
            await MeasureAsync(host, sandbox, latency, profile, order, "rollback", "/rollback");
        }
        finally
        {
            await TakeoverHosts.StopAsync(host);
        }
    }

    private static async Task MeasureAsync(ChatOpsApp host, SandboxServer sandbox, SandboxLatency latency, string profile, string order, string what, string command)
    {
        var store = host.Services.GetRequiredService<IReleaseStore>();
        sandbox.Calls.Clear();
        var clock = Stopwatch.StartNew();
        var startedAt = DateTimeOffset.UtcNow;
        var reply = await TakeoverHosts.SayConfirmedAsync(host, TakeoverHosts.Alice, command);
        var id = (await store.ListAsync(null, activeOnly: true, 1, CancellationToken.None)).SingleOrDefault()?.Id
            ?? throw new InvalidOperationException($"{command} did not start: {reply.Text}");
        var release = await TakeoverHosts.DriveAsync(host, id, () => false, TimeSpan.FromMinutes(5));
        _ = clock;
        if (release.State is not (ReleaseState.Released or ReleaseState.RolledBack))
            throw new InvalidOperationException($"#{id} ended {release.State}: {release.Error}");
        var approval = release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep)?.Duration ?? TimeSpan.Zero;
        var last = release.Steps.Where(s => s.FinishedAt is not null).Max(s => s.FinishedAt!.Value);
        var wall = last - startedAt - approval;
        var path = CriticalPath.Of(release, sandbox.Calls.Calls, sandbox.Options, latency, Runbook.ApprovalStep);
        if (Environment.GetEnvironmentVariable("CHATOPS_BENCH_TIMELINE") == "1")
            PrintTimeline(release, sandbox.Calls.Calls, startedAt);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {profile} | {order} | {what} #{id} ({release.Steps.Count(s => s.Status == StepStatus.Done)} steps, {sandbox.Calls.Calls.Count} calls) | {wall.TotalSeconds:0.00} s | {path.TotalSeconds:0.00} s | {wall / path:0.00}× |"));
    }

    // Every step and call on one time line, in ms from the command, to find where the bot's time goes.
    private static void PrintTimeline(Release release, IReadOnlyList<SimulatedCall> calls, DateTimeOffset origin)
    {
        var rows = release.Steps.Where(s => s.StartedAt is not null)
            .Select(s => (At: s.StartedAt!.Value, Text: $"STEP {s.Name} {s.Status} until {((s.FinishedAt ?? s.StartedAt.Value) - origin).TotalMilliseconds:0}"))
            .Concat(calls.Select(c => (At: c.Start, Text: $"  {c.System} {c.Method} {c.Path} {c.Status} {c.Duration.TotalMilliseconds:0} ms -> {(c.End - origin).TotalMilliseconds:0}")))
            .OrderBy(r => r.At);
        foreach (var (at, text) in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(at - origin).TotalMilliseconds,8:0} {text}"));
    }

    private static Task<ChatOpsApp> StartHostAsync(SandboxServer sandbox, string order) =>
        SandboxHost.StartAsync(sandbox, new Dictionary<string, string?> { ["ChatOps:Environments:production:Deploy:Order"] = order });
}
