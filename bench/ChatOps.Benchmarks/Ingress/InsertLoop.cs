using System.Diagnostics;
using Npgsql;

namespace ChatOps.Benchmarks.Ingress;

/// <summary>
/// The store's floor for the webhook bench: <c>--concurrency</c> tasks doing the bot's own
/// <c>INSERT INTO processed_updates … ON CONFLICT DO NOTHING</c> with distinct keys through plain Npgsql (prepared,
/// pooled) for <c>--seconds</c>, on a fresh database of CHATOPS_BENCH_POSTGRES. With <c>--multiplexing</c>, through a
/// multiplexed data source of four connections, as the bot's store sends that statement.
/// </summary>
public static class InsertLoop
{
    public static async Task<int> RunAsync(int concurrency, TimeSpan duration, bool multiplexing)
    {
        await using var database = await BenchDatabase.CreateAsync(CancellationToken.None);
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString)
        {
            MaxAutoPrepare = 32,
            MaxPoolSize = multiplexing ? 4 : Math.Max(100, concurrency),
            Multiplexing = multiplexing,
        };
        await using var source = NpgsqlDataSource.Create(builder.ConnectionString);
        await using (var create = source.CreateCommand(
            "CREATE TABLE processed_updates (platform TEXT NOT NULL, update_id TEXT NOT NULL, at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (platform, update_id))"))
            await create.ExecuteNonQueryAsync();

        async Task<List<double>> Worker(int worker, TimeSpan length)
        {
            var latencies = new List<double>();
            var clock = Stopwatch.StartNew();
            for (var n = 0; clock.Elapsed < length; n++)
            {
                var start = Stopwatch.GetTimestamp();
                await using var command = source.CreateCommand("INSERT INTO processed_updates (platform, update_id) VALUES ($1, $2) ON CONFLICT DO NOTHING");
                command.Parameters.Add(new NpgsqlParameter { Value = "telegram" });
                command.Parameters.Add(new NpgsqlParameter { Value = $"{worker}:{n}:{length.Ticks}" });
                await command.ExecuteNonQueryAsync();
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
            return latencies;
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Worker(w, TimeSpan.FromSeconds(2))));  // warm-up
        var wall = Stopwatch.StartNew();
        var all = (await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Worker(w, duration)))).SelectMany(l => l).ToList();
        var seconds = wall.Elapsed.TotalSeconds;
        var stats = new Stats(all);
        Console.WriteLine($"insert-loop{(multiplexing ? " (multiplexing)" : "")}: concurrency {concurrency}, {stats.Count} inserts in {Stats.F(seconds, 2)} s = {Stats.F(stats.Count / seconds)}/s, "
            + $"p50 {Stats.F(stats.Percentile(50), 2)} ms, p99 {Stats.F(stats.Percentile(99), 2)} ms, max {Stats.F(stats.Max, 2)} ms");
        return 0;
    }
}
