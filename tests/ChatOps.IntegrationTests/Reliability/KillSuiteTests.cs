using System.Collections.Concurrent;
using System.Diagnostics;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using Xunit.Abstractions;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// The kill suite of issue 14: releases over two environments on two real host processes while one of them is
/// ended with SIGKILL at random (seeded) moments and started again. Each release must end Released or stop in
/// NeedsAttention, and the outside world must show nothing done twice. CHATOPS_KILL_SEED picks another seed.
/// </summary>
public sealed class KillSuiteTests(ITestOutputHelper output)
{
    private const int ReleasesPerEnvironment = 10;

    public static int Seed => int.TryParse(System.Environment.GetEnvironmentVariable("CHATOPS_KILL_SEED"), out var seed) ? seed : 1415;

    [Fact]
    public async Task Twenty_releases_while_instances_are_killed_with_sigkill_end_released_or_in_needs_attention_with_nothing_applied_twice()
    {
        output.WriteLine($"kill suite seed {Seed} (CHATOPS_KILL_SEED={Seed} repeats it)");
        var clock = Stopwatch.StartNew();
        await using var world = await KillWorld.CreateAsync(instances: 2);
        var snapshotsBefore = KillWorld.Apps.Values.Select(a => a[0]).ToDictionary(app => app, world.Sandbox.Fly.SnapshotCount);
        var reached = new ConcurrentDictionary<long, ReleaseState>();
        var kills = new ConcurrentQueue<string>();
        using var done = new CancellationTokenSource();
        var killer = KillAtRandomAsync(world, new Random(Seed), kills, clock, done.Token);

        await Task.WhenAll(KillWorld.Apps.Keys.Select(async environment =>
        {
            var choices = new Random(HashCode.Combine(Seed, environment.Length));
            var major = environment == "production" ? 1 : 2;
            for (var i = 0; i < ReleasesPerEnvironment; i++)
            {
                var tag = $"v{major}.{i + 1}.0";
                // CI pushed the image of every tag before anyone typed /release.
                world.Sandbox.Fly.PushImages(tag);
                // Each production release brings a migration, so a kill can land while one is applied.
                if (environment == "production")
                    world.Sandbox.Fly.Alembic.AddRevision($"kill suite change {i + 1}");
                var release = await StartAsync(world, tag, environment, choices);
                var (_, state) = await world.DriveAsync(release.Id, choices, TimeSpan.FromSeconds(90));
                reached[release.Id] = state;
            }
        }));
        await done.CancelAsync();
        await killer;

        var releases = (await world.Releases.ListAsync(null, activeOnly: false, limit: 200, CancellationToken.None)).Where(r => r.Kind == ReleaseKind.Release).ToList();
        var escaped = world.Hosts.SelectMany(h => EscapedExceptions.InJsonLog(h.Stderr)).ToList();
        var upgrades = world.Sandbox.Fly.Alembic.Upgrades;
        Report(world, releases, reached, kills, upgrades, escaped, clock.Elapsed);

        Assert.Equal(2 * ReleasesPerEnvironment, releases.Count);
        Assert.All(releases, r => Assert.True(reached.TryGetValue(r.Id, out var state) && state is ReleaseState.Released or ReleaseState.NeedsAttention,
            $"#{r.Id} {r.Tag} → {r.Environment} reached {(reached.TryGetValue(r.Id, out var s) ? s : "nothing")}, now {Harness.BotHost.Describe(r)}"));
        NoProblems(MutationLedger.Problems(releases, world.Sandbox.Mutations, KillWorld.Apps, world.Sandbox.Fly, world.Sandbox.GitHub.ReadFile(Core.Steps.Changelog.Path),
            orphanTagObjects: true));
        NoProblems(MutationLedger.SnapshotProblems(releases, world.Sandbox.Fly, snapshotsBefore));
        Assert.True(upgrades.Count == upgrades.Distinct(StringComparer.Ordinal).Count(), $"a migration was applied twice: {string.Join(", ", upgrades)}");
        Assert.Empty(escaped);
        // The suite means something only if the kills really came while releases ran.
        Assert.True(kills.Count(k => k.Contains(" holding #", StringComparison.Ordinal)) > 0, "no kill hit an instance while it ran a release");
    }

    private static async Task<Release> StartAsync(KillWorld world, string tag, string environment, Random choices)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await world.TypeAsync(KillWorld.TelegramReleaser, $"/release {tag} {environment}", choices);
            // An instance that took the command is answering it; one killed before it stored the release never will.
            var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            while (DateTime.UtcNow < until)
            {
                if (await world.FindAsync(tag, environment) is { } found)
                    return found;
                await Task.Delay(100);
            }
        }
        throw new TimeoutException($"no release of {tag} to {environment} after asking three times; the bot said:\n{world.Replies()}");
    }

    // Every 1 to 3 s (seeded), one instance while the other is up gets SIGKILL and is started again at once: the
    // survivor takes the killed one's releases over when their leases lapse, or the restarted one does.
    private static async Task KillAtRandomAsync(KillWorld world, Random choices, ConcurrentQueue<string> kills, Stopwatch clock, CancellationToken stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(1000 + choices.Next(2000)), stop);
                var victim = world.Hosts[choices.Next(world.Hosts.Count)];
                if (!world.Hosts.All(h => h.Up))
                {
                    await Task.WhenAll(world.Hosts.Where(h => !h.Up).Select(h => h.WaitReadyAsync(TimeSpan.FromSeconds(90))));
                    continue;
                }
                var held = await world.HeldByAsync(victim.ProcessId!.Value);
                await victim.KillAsync();
                kills.Enqueue($"{clock.Elapsed.TotalSeconds:F1}s: {victim.Name}" + (held.Count > 0 ? $" holding {string.Join(", ", held)}" : " holding no release"));
                victim.Start();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The releases are done.
        }
    }

    private static void NoProblems(IReadOnlyList<string> problems) => Assert.True(problems.Count == 0, string.Join("\n", problems));

    private void Report(KillWorld world, IReadOnlyList<Release> releases, ConcurrentDictionary<long, ReleaseState> reached, ConcurrentQueue<string> kills,
        IReadOnlyList<string> upgrades, IReadOnlyList<string> escaped, TimeSpan took)
    {
        var released = reached.Values.Count(s => s == ReleaseState.Released);
        var attention = reached.Values.Count(s => s == ReleaseState.NeedsAttention);
        var hits = kills.Count(k => k.Contains(" holding #", StringComparison.Ordinal));
        var summary = $"{releases.Count} releases on 2 host processes, {kills.Count} kill -9 ({hits} of an instance running a release; seed {Seed}), {released} released, {attention} in NeedsAttention, "
            + $"{upgrades.Count} migrations applied once each, in {took.TotalSeconds:F0} s";
        var details = kills.Select(k => $"killed {k}")
            .Concat(releases.Where(r => reached.GetValueOrDefault(r.Id) != ReleaseState.Released).Select(r => $"#{r.Id} {r.Tag} → {r.Environment}: NeedsAttention at {r.StoppedAt}: {r.Error}"))
            .Append($"tag objects left without a ref by a kill between a tag's two writes (harmless, see GitHubTags): {MutationLedger.OrphanTagObjects(releases, world.Sandbox.Mutations)}")
            .Append($"starts per instance: {string.Join(", ", world.Hosts.Select(h => $"{h.Name} {h.Starts}"))}")
            .Append($"outside mutations: {world.Sandbox.Mutations.Entries.Count}; escaped exceptions {escaped.Count}")
            .Concat(escaped.Take(5));
        SuiteFigures.Report(output, "kill-suite", summary, null, details);
    }
}
