using ChatOps.Core.Releases;
using ChatOps.Core.Store;
using ChatOps.IntegrationTests.Durability;
using ChatOps.Sandbox;
using Microsoft.Extensions.DependencyInjection;
using static ChatOps.Benchmarks.Stats;

namespace ChatOps.Benchmarks.Takeover;

/// <summary>A lease TTL and sweep interval under measurement; null keeps the host's default (30 s and 15 s).</summary>
public sealed record TakeoverSetting(string Name, TimeSpan? LeaseTtl, TimeSpan? Sweep)
{
    public static readonly TakeoverSetting Default = new("default (TTL 30 s, sweep 15 s)", null, null);
    public static readonly TakeoverSetting Short = new("short (TTL 2 s, sweep 0.3 s)", TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(300));

    public TimeSpan SweepInterval => Sweep ?? TimeSpan.FromSeconds(15);

    public TimeSpan Bound => (LeaseTtl ?? TimeSpan.FromSeconds(30)) + SweepInterval;
}

/// <summary>
/// Two hosts on one fresh Postgres database; the first dies mid-Deploy. Measured on the wall clock: from the crash to
/// the second host's first write on the release (the takeover), and from the crash to the release ending Released.
/// </summary>
public static class TakeoverRun
{
    public static void PrintHeader()
    {
        Console.WriteLine("| setting | runs | crash → second host resumes: min / median / max s | crash → Released: min / median / max s |");
        Console.WriteLine("| --- | ---: | --- | --- |");
    }

    public static async Task RunAsync(TakeoverSetting setting, int runs)
    {
        var resumed = new List<double>();
        var released = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var (toResume, toRelease) = await OnceAsync(setting);
            Console.Error.WriteLine($"  {setting.Name} run {i + 1}: resumed after {F(toResume, 2)} s, Released after {F(toRelease, 2)} s");
            resumed.Add(toResume);
            released.Add(toRelease);
        }
        var r = new Stats(resumed);
        var d = new Stats(released);
        Console.WriteLine($"| {setting.Name} | {runs} | {F(r.Min, 2)} / {F(r.Median, 2)} / {F(r.Max, 2)} | {F(d.Min, 2)} / {F(d.Median, 2)} / {F(d.Max, 2)} |");
    }

    private static async Task<(double Resumed, double Released)> OnceAsync(TakeoverSetting setting)
    {
        await using var database = await BenchDatabase.CreateAsync(CancellationToken.None);
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Delay = TimeSpan.FromMilliseconds(20) });
        var crash = CrashSwitch.AfterStep("Deploy:midway");
        var doomed = await TakeoverHosts.StartAsync(database.ConnectionString, sandbox, setting, crash.Install);
        var survivor = await TakeoverHosts.StartAsync(database.ConnectionString, sandbox, setting, null);
        try
        {
            // The second host's sweep ticks at fixed times after its start: a release started at a random moment
            // puts the crash at any phase of it, as in production.
            await Task.Delay(Random.Shared.NextDouble() * setting.SweepInterval);
            var reply = await TakeoverHosts.SayAsync(doomed, TakeoverHosts.Alice, "/release v0.2.0");
            var store = survivor.Services.GetRequiredService<IReleaseStore>();
            var id = (await store.ListAsync(null, activeOnly: true, 1, CancellationToken.None)).SingleOrDefault()?.Id
                ?? throw new InvalidOperationException($"the release did not start: {reply.Text}");
            await TakeoverHosts.DriveAsync(doomed, id, () => crash.Crashed, TimeSpan.FromSeconds(60));
            if (!crash.Crashed)
                throw new InvalidOperationException("the release ended before the crash point");
            var release = await TakeoverHosts.DriveAsync(survivor, id, () => false, setting.Bound + TimeSpan.FromSeconds(60));
            if (release.State != ReleaseState.Released)
                throw new InvalidOperationException($"release #{id} ended {release.State} on the second host: {release.Error}");
            var events = await store.EventsAsync(id, null, 1000, CancellationToken.None);
            var firstAfter = events.Where(e => e.At > crash.CrashedAt).Min(e => e.At);
            return ((firstAfter - crash.CrashedAt).TotalSeconds, (release.UpdatedAt - crash.CrashedAt).TotalSeconds);
        }
        finally
        {
            await TakeoverHosts.StopAsync(survivor);
            await TakeoverHosts.StopAsync(doomed);
        }
    }
}
