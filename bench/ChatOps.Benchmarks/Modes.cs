using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using ChatOps.Benchmarks.Micro;
using ChatOps.Benchmarks.Takeover;
using ChatOps.Benchmarks.Throughput;
using ChatOps.Core.Releases;
using ChatOps.Host.Store;
using Perfolizer.Horology;

namespace ChatOps.Benchmarks;

public static class Modes
{
    public static int Usage()
    {
        Console.Error.WriteLine("""
            usage: dotnet run -c Release --project bench/ChatOps.Benchmarks -- <mode> [options]
              micro [BenchmarkDotNet switches, e.g. --filter *Parser*]      parser, card, JSON (short in-process job)
              throughput [sqlite|sqlite-file|postgres|all] [--seconds 10] [--environments 1,4] [--warmup 20]
              takeover [short|default|all] [--runs 3]                    needs CHATOPS_BENCH_POSTGRES
              releasetime [zero|realistic|all] [--order parallel|in-order|all]   release and rollback against the critical path
              bake [--minutes 3]                                         a bake's CPU and calls per minute against an idle window
              minimal-endpoint [--url http://127.0.0.1:18091] [--seconds 120]   the baseline endpoint (BENCH_TELEGRAM_SECRET, BENCH_SLACK_SECRET)
              chat-sims [--chats 64] [--seconds 120]                     Telegram and Slack API simulators for a scripted host
              insert-loop [--concurrency 32] [--seconds 10] [--multiplexing]  plain Npgsql INSERT … ON CONFLICT DO NOTHING, needs CHATOPS_BENCH_POSTGRES
              responsiveness [--runs 5] [--slow-fly-seconds 20]           approve → answer and → next step, during a slow /status
              memory [--chats 10000] [--concurrency 16]                  heap after a full GC around two rounds of one /whoami per chat
            Postgres: scripts/postgres.sh start /tmp/pg-bench 55450, then export its connection string as CHATOPS_BENCH_POSTGRES.
            """);
        return 2;
    }

    public static int Micro(string[] args)
    {
        // In-process, so no second build of a generated project on a busy 2-core machine; a short job keeps the run to about a minute.
        var job = Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithIterationTime(TimeInterval.FromMilliseconds(250));
        var config = DefaultConfig.Instance.AddJob(job.AsDefault())
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "chatops-bench-artifacts"));
        Console.WriteLine($"The sample release record is {ReleaseJson.Serialize(SampleRelease.Released()).Length} characters of JSON.");
        var switches = args.Any(a => a.StartsWith("--filter", StringComparison.Ordinal)) ? args : [.. args, "--filter", "*"];
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Modes).Assembly).Run(switches, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    public static async Task<int> ThroughputAsync(string[] args)
    {
        var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var duration = TimeSpan.FromSeconds(Number(args, "--seconds", 10));
        var warmup = (int)Number(args, "--warmup", 20);
        var environments = Option(args, "--environments", "1,4").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToList();
        var stores = new List<Func<Task<BenchStore>>>();
        if (which is "sqlite" or "all")
            stores.Add(() => Task.FromResult(BenchStore.Sqlite()));
        if (which is "sqlite-file" or "all")
            stores.Add(() => Task.FromResult(BenchStore.SqliteFile()));
        if (which is "postgres" || (which is "all" && BenchDatabase.Configured))
            stores.Add(() => BenchStore.PostgresAsync(CancellationToken.None));
        if (which is "all" && !BenchDatabase.Configured)
            Console.Error.WriteLine($"{BenchDatabase.Variable} is not set: Postgres skipped.");
        ThroughputRun.PrintHeader();
        foreach (var open in stores)
        {
            foreach (var count in environments)
                await ThroughputRun.RunAsync(open, count, duration, warmup);
        }
        return 0;
    }

    public static async Task<int> TakeoverAsync(string[] args)
    {
        var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var runs = (int)Number(args, "--runs", 3);
        TakeoverRun.PrintHeader();
        if (which is "short" or "all")
            await TakeoverRun.RunAsync(TakeoverSetting.Short, runs);
        if (which is "default" or "all")
            await TakeoverRun.RunAsync(TakeoverSetting.Default, runs);
        return 0;
    }

    public static async Task<int> ReleaseTimeAsync(string[] args)
    {
        var which = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "all";
        var order = Option(args, "--order", "all");
        ReleaseTime.ReleaseTimeRun.PrintHeader();
        foreach (var profile in which == "all" ? ["zero", "realistic"] : new[] { which })
        {
            // in-order is today's sequential deploy and rollback: the baseline, measured in the same run.
            foreach (var shape in order == "all" ? ["in-order", "parallel"] : new[] { order })
                await ReleaseTime.ReleaseTimeRun.RunAsync(profile, shape);
        }
        return 0;
    }

    /// <summary>A bake's cost while it waits, per bake minute, beside an idle window of the same length.</summary>
    public static async Task<int> BakeAsync(string[] args)
    {
        Bake.BakeIdleRun.PrintHeader();
        await Bake.BakeIdleRun.RunAsync(TimeSpan.FromMinutes(Number(args, "--minutes", 3)), TimeSpan.FromMinutes(1));
        return 0;
    }

    public static Task<int> MinimalEndpointAsync(string[] args) =>
        Ingress.MinimalEndpoint.RunAsync(Option(args, "--url", "http://127.0.0.1:18091"), TimeSpan.FromSeconds(Number(args, "--seconds", 120)));

    public static Task<int> ChatSimsAsync(string[] args) =>
        Ingress.ChatSims.RunAsync((int)Number(args, "--chats", 64), TimeSpan.FromSeconds(Number(args, "--seconds", 120)));

    public static Task<int> InsertLoopAsync(string[] args) =>
        Ingress.InsertLoop.RunAsync((int)Number(args, "--concurrency", 32), TimeSpan.FromSeconds(Number(args, "--seconds", 10)), args.Contains("--multiplexing"));

    public static Task<int> MemoryAsync(string[] args) =>
        Memory.MemoryRun.RunAsync((int)Number(args, "--chats", 10000), (int)Number(args, "--concurrency", 16));

    public static Task<int> ResponsivenessAsync(string[] args) =>
        Responsiveness.ResponsivenessRun.RunAsync((int)Number(args, "--runs", 5), TimeSpan.FromSeconds(Number(args, "--slow-fly-seconds", 20)));

    private static string Option(string[] args, string name, string fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }

    private static double Number(string[] args, string name, double fallback) =>
        double.Parse(Option(args, name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}
