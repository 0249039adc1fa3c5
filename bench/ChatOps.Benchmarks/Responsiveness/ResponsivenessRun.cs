using System.Diagnostics;
using ChatOps.Benchmarks.Takeover;
using ChatOps.Core.Chat;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.Host.Hosting;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;

namespace ChatOps.Benchmarks.Responsiveness;

/// <summary>
/// Issue 15 item 3: the time from an approval to its answer and to the next step (Migrate) starting, while another
/// chat runs a <c>/status</c> that Fly answers in 20 s. One fresh sandbox host (embedded store, zero latency
/// elsewhere) per run, since only the first release meets the approval gate; the approval is <c>/approve</c> by the
/// approver through <c>ChatOpsBot</c>, the same decision a button press makes, without a chat transport.
/// </summary>
public static class ResponsivenessRun
{
    public static async Task<int> RunAsync(int runs, TimeSpan slowFly)
    {
        var answers = new List<double>();
        var nextStep = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var (answer, next) = await OnceAsync(slowFly);
            answers.Add(answer);
            nextStep.Add(next);
            Console.WriteLine($"run {run + 1}: approve answered in {Stats.F(answer, 1)} ms, Migrate started {Stats.F(next, 1)} ms after the approve");
        }
        foreach (var (name, values) in new[] { ("approve → answer", answers), ("approve → next step started", nextStep) })
        {
            var s = new Stats(values);
            Console.WriteLine($"{name}: {s.Count} runs, median {Stats.F(s.Median)} ms, p99 {Stats.F(s.Percentile(99))} ms, max {Stats.F(s.Max)} ms (goal p99 < 200 ms)");
        }
        return 0;
    }

    private static async Task<(double Answer, double Next)> OnceAsync(TimeSpan slowFly)
    {
        var options = new SandboxOptions { Latency = SandboxLatency.Zero };
        await using var sandbox = await SandboxServer.StartAsync(options);
        var host = await SandboxHost.StartAsync(sandbox, new Dictionary<string, string?>());
        try
        {
            var store = host.Services.GetRequiredService<IReleaseStore>();
            var bot = host.Services.GetRequiredService<ChatOpsBot>();
            var reply = await TakeoverHosts.SayAsync(host, TakeoverHosts.Alice, "/release v0.2.0");
            var id = (await store.ListAsync(null, activeOnly: true, 1, CancellationToken.None)).SingleOrDefault()?.Id
                ?? throw new InvalidOperationException($"/release did not start: {reply.Text}");
            // The gate is open once its plan is built and its buttons are out: only then can anyone press Approve.
            await WaitAsync(async () => (await store.GetAsync(id, CancellationToken.None))?.Steps
                .FirstOrDefault(s => s.Name == Runbook.ApprovalStep)?.Status == StepStatus.Waiting, TimeSpan.FromSeconds(60));

            // Another chat asks for /status while Fly takes slowFly to answer every call.
            sandbox.Options.Latency = SandboxLatency.Zero with { FlyApi = slowFly };
            using var stopStatus = new CancellationTokenSource(slowFly + TimeSpan.FromSeconds(10));
            var status = bot.HandleAsync(new IncomingMessage(TakeoverHosts.Alice, new ChatChannel("console", "other-chat"), "/status"), stopStatus.Token);
            await Task.Delay(300);
            if (status.IsCompleted)
                throw new InvalidOperationException("/status finished before the approval: it did not wait for Fly.");

            var pressedAt = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            var answer = await TakeoverHosts.SayAsync(host, TakeoverHosts.Bob, $"/approve {id}");
            var answered = clock.Elapsed.TotalMilliseconds;
            DateTimeOffset? migrateStarted = null;
            await WaitAsync(async () =>
            {
                migrateStarted = (await store.GetAsync(id, CancellationToken.None))?.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.Migrate))?.StartedAt;
                return migrateStarted is not null;
            }, TimeSpan.FromSeconds(60));
            if (status.IsCompleted)
                Console.WriteLine("  (note: /status had finished before Migrate started)");
            sandbox.Options.Latency = SandboxLatency.Zero;
            _ = answer;
            return (answered, (migrateStarted!.Value - pressedAt).TotalMilliseconds);
        }
        finally
        {
            sandbox.Options.Latency = SandboxLatency.Zero;
            await Task.WhenAny(TakeoverHosts.StopAsync(host), Task.Delay(TimeSpan.FromSeconds(30)));
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> done, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!await done())
        {
            if (clock.Elapsed > limit)
                throw new TimeoutException($"gave up after {limit.TotalSeconds:F0} s");
            await Task.Delay(2);
        }
    }
}
