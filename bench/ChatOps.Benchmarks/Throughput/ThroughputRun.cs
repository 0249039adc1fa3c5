using System.Diagnostics;
using ChatOps.Testing;
using static ChatOps.Benchmarks.Stats;

namespace ChatOps.Benchmarks.Throughput;

/// <summary>
/// A measured loop, not a BenchmarkDotNet job: each environment releases one tag after another for a fixed
/// time (one active release per environment is the store's rule), and every release is timed from request to Released.
/// </summary>
public static class ThroughputRun
{
    public static void PrintHeader()
    {
        Console.WriteLine("| store | environments | releases | wall s | releases/s | mean ms | p50 ms | p95 ms | max ms | KB alloc/release | audit events/release |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    }

    public static async Task RunAsync(Func<Task<BenchStore>> open, int environments, TimeSpan duration, int warmup)
    {
        var store = await open();
        try
        {
            await using var driver = new ReleaseDriver(store, environments);
            for (var i = 0; i < warmup; i++)
                await driver.ReleaseAsync(ShapedSettings.EnvironmentName(0), CancellationToken.None);
            await driver.WhenIdleAsync(CancellationToken.None);

            var latencies = new List<double>();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var wall = Stopwatch.StartNew();
            var lastIds = await Task.WhenAll(Enumerable.Range(0, environments).Select(e => LoopAsync(driver, e, wall, duration, latencies)));
            await driver.WhenIdleAsync(CancellationToken.None);
            wall.Stop();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;

            var events = await store.Releases.EventsAsync(lastIds[0], null, 1000, CancellationToken.None);
            var stats = new Stats(latencies);
            Console.WriteLine($"| {store.Name} | {environments} | {stats.Count} | {F(wall.Elapsed.TotalSeconds)} | {F(stats.Count / wall.Elapsed.TotalSeconds)} "
                + $"| {F(stats.Mean, 2)} | {F(stats.Median, 2)} | {F(stats.Percentile(95), 2)} | {F(stats.Max, 2)} "
                + $"| {F(allocated / 1024.0 / stats.Count, 0)} | {events.Count} |");
        }
        finally
        {
            await store.Dispose();
        }
    }

    private static async Task<long> LoopAsync(ReleaseDriver driver, int environment, Stopwatch wall, TimeSpan duration, List<double> latencies)
    {
        var name = ShapedSettings.EnvironmentName(environment);
        long last = 0;
        while (wall.Elapsed < duration)
        {
            var started = wall.Elapsed;
            last = await driver.ReleaseAsync(name, CancellationToken.None);
            var ms = (wall.Elapsed - started).TotalMilliseconds;
            lock (latencies)
                latencies.Add(ms);
        }
        return last;
    }
}
