using System.Diagnostics;
using System.Globalization;
using ChatOps.Benchmarks.Takeover;
using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Hosting;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks.Bake;

/// <summary>
/// What a bake costs while it waits: the real host in sandbox mode bakes a release against the sandbox's Prometheus
/// endpoint, and the process's CPU time and the calls it makes are counted per bake minute, beside a baseline window of
/// the same length in the same run with the same host and simulated traffic and nothing baking.
/// </summary>
public static class BakeIdleRun
{
    public static void PrintHeader() =>
        Console.WriteLine("| window | minutes | process CPU s / min | Prometheus queries / min | Fly API calls / min | other sandbox calls / min |\n| --- | ---: | ---: | ---: | ---: | ---: |");

    public static async Task RunAsync(TimeSpan bake, TimeSpan interval)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        var host = await StartHostAsync(sandbox, bake, interval);
        try
        {
            // The baseline: the same process, the simulators' traffic and the runner's sweep, nothing to bake.
            Print("idle (baseline)", await MeasureAsync(sandbox, () => Task.Delay(bake)));
            var store = host.Services.GetRequiredService<IReleaseStore>();
            var reply = await TakeoverHosts.SayConfirmedAsync(host, TakeoverHosts.Alice, "/release v0.2.0");
            var id = (await store.ListAsync(null, activeOnly: true, 1, CancellationToken.None)).SingleOrDefault()?.Id
                ?? throw new InvalidOperationException($"/release did not start: {reply.Text}");
            await UntilBakingAsync(host, store, id);
            var released = default(Release);
            Print("baking", await MeasureAsync(sandbox, async () => released = await UntilEndedAsync(store, id, bake * 3)));
            if (released?.State != ReleaseState.Released)
                throw new InvalidOperationException($"#{id} ended {released?.State}: {released?.Error}");
        }
        finally
        {
            await TakeoverHosts.StopAsync(host);
        }
    }

    private sealed record Window(TimeSpan Wall, TimeSpan Cpu, int Prometheus, int Fly, int Other);

    private static async Task<Window> MeasureAsync(SandboxServer sandbox, Func<Task> window)
    {
        sandbox.Calls.Clear();
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await window();
        process.Refresh();
        var calls = sandbox.Calls.Calls;
        return new Window(wall.Elapsed, process.TotalProcessorTime - cpu, calls.Count(c => c.System == "prometheus"), calls.Count(c => c.System == "fly"),
            calls.Count(c => c.System is not ("prometheus" or "fly")));
    }

    private static void Print(string what, Window w)
    {
        var minutes = w.Wall.TotalMinutes;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {what} | {minutes:0.00} | {w.Cpu.TotalSeconds / minutes:0.00} | {w.Prometheus / minutes:0.0} | {w.Fly / minutes:0.0} | {w.Other / minutes:0.0} |"));
    }

    // Plays the approver until the release rests in its bake; the bench's own polling stops before the window opens.
    private static async Task UntilBakingAsync(ChatOpsApp host, IReleaseStore store, long id)
    {
        var approvals = host.Services.GetRequiredService<ApprovalCommands>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (true)
        {
            var release = await store.GetAsync(id, timeout.Token) ?? throw new InvalidOperationException($"no release #{id}");
            if (release.State == ReleaseState.Bake)
                return;
            if (!release.IsActive)
                throw new InvalidOperationException($"#{id} ended {release.State} before its bake: {release.Error}");
            if (release.State == ReleaseState.AwaitApproval && release.Steps.FirstOrDefault(s => s.Name == Runbook.ApprovalStep)?.Status == StepStatus.Waiting)
                await approvals.DecideAsync(id, null, TakeoverHosts.Bob, approve: true, timeout.Token);
            await Task.Delay(100, timeout.Token);
        }
    }

    // One look a second: the bench must not be the busy one in the window it measures.
    private static async Task<Release> UntilEndedAsync(IReleaseStore store, long id, TimeSpan limit)
    {
        using var timeout = new CancellationTokenSource(limit);
        while (true)
        {
            var release = await store.GetAsync(id, timeout.Token) ?? throw new InvalidOperationException($"no release #{id}");
            if (!release.IsActive)
                return release;
            await Task.Delay(TimeSpan.FromSeconds(1), timeout.Token);
        }
    }

    private static Task<ChatOpsApp> StartHostAsync(SandboxServer sandbox, TimeSpan bake, TimeSpan interval) =>
        SandboxHost.StartAsync(sandbox, new Dictionary<string, string?>
        {
            ["ChatOps:Environments:production:Bake:Duration"] = bake.ToString("c", CultureInfo.InvariantCulture),
            ["ChatOps:Environments:production:Bake:Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
        });
}
