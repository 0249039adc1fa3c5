using System.Collections.Concurrent;
using System.Diagnostics;
using ChatOps.Core.Commands;
using ChatOps.Core.Releases;
using ChatOps.Core.Steps;
using ChatOps.IntegrationTests.Hardening;
using ChatOps.Sandbox;
using Xunit.Abstractions;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// The fault suite of issue 14: many releases over two environments and two instances while a fifth of all GitHub,
/// Fly, Telegram and Slack calls fail. Seeded (CHATOPS_FAULT_SEED picks another seed); the assertions are invariants
/// that hold whichever calls fail. In the log collection: the hosts' log lines are searched, and Serilog's hosting
/// integration logs through the process-wide logger of the host started last.
/// </summary>
[Collection(LogCollection.Name)]
public sealed class FaultSuiteTests(ITestOutputHelper output)
{
    private const int ReleasesPerEnvironment = 25;
    private const double FaultRate = 0.2;

    public static int Seed => int.TryParse(Environment.GetEnvironmentVariable("CHATOPS_FAULT_SEED"), out var seed) ? seed : 1414;

    [Fact]
    public async Task Fifty_releases_on_two_instances_under_a_fifth_of_calls_failing_end_released_or_failed_clearly_with_every_outside_change_once()
    {
        output.WriteLine($"fault suite seed {Seed} (CHATOPS_FAULT_SEED={Seed} repeats it)");
        var clock = Stopwatch.StartNew();
        var faults = new RandomFaults(Seed, FaultRate);
        var choices = new Random(Seed);
        await using var world = await FaultWorld.CreateAsync(faults, instances: 2);
        var snapshotsBefore = FaultWorld.Apps.Values.Select(a => a[0]).ToDictionary(app => app, world.Sandbox.Fly.SnapshotCount);
        // Who asks for each release, where and on which instance: drawn up front, so the plan does not depend on timing.
        var plan = FaultWorld.Apps.Keys.ToDictionary(env => env, _ => Enumerable.Range(0, ReleasesPerEnvironment)
            .Select(_ => (Host: choices.Next(2), OverTelegram: choices.Next(2) == 0)).ToList());
        var attentions = new ConcurrentDictionary<long, IReadOnlyList<string>>();
        faults.Enabled = true;

        await Task.WhenAll(FaultWorld.Apps.Keys.Select(async environment =>
        {
            var major = environment == "production" ? 1 : 2;
            for (var i = 0; i < ReleasesPerEnvironment; i++)
            {
                var (hostIndex, overTelegram) = plan[environment][i];
                var host = world.Hosts[hostIndex];
                var tag = $"v{major}.{i + 1}.0";
                // CI pushed the image of every tag before anyone typed /release.
                world.Sandbox.Fly.PushImages(tag);
                await world.AskForReleaseAsync(host, overTelegram, tag, environment);
                var started = await world.FindReleaseAsync(host, tag, environment);
                var (ended, resumed) = await FaultWorld.DriveAsync(world.Hosts[1 - hostIndex], started.Id, resumes: 3, TimeSpan.FromMinutes(3));
                attentions[ended.Id] = resumed;
                // Still stuck after the resumes: the operator gives up on it, so the environment is free for the next one.
                if (ended.State == ReleaseState.NeedsAttention)
                    await world.Hosts[hostIndex].Get<StopCommands>().CancelAsync(ended.Id, FaultWorld.Releaser, CancellationToken.None);
            }
        }));

        faults.Enabled = false;
        foreach (var host in world.Hosts)
            await host.WhenIdleAsync();
        var releases = (await world.Hosts[0].ReleasesAsync()).Where(r => r.Kind == ReleaseKind.Release).ToList();
        await EachCardShowsTheEndAsync(world, releases);

        Report(world, releases, attentions, clock.Elapsed);
        Assert.Equal(2 * ReleasesPerEnvironment, releases.Count);
        Assert.All(releases, r => Assert.True(
            r.State == ReleaseState.Released || (r.State == ReleaseState.Failed && r.StoppedAt is not null && !string.IsNullOrWhiteSpace(r.Error)),
            $"#{r.Id} {r.Tag} → {r.Environment} ended {BotHostDescribe(r)} ({r.Error})"));
        NoProblems(MutationLedger.Problems(releases, world.Sandbox.Mutations, FaultWorld.Apps, world.Sandbox.Fly, world.Sandbox.GitHub.ReadFile(Core.Steps.Changelog.Path)));
        NoProblems(MutationLedger.SnapshotProblems(releases, world.Sandbox.Fly, snapshotsBefore));
        NoProblems(CardProblems(world, releases));
        Assert.Empty(world.Logs.Escaped);
        // The suite means something only if the faults really came, on every system.
        Assert.All(new[] { RandomFaults.GitHub, RandomFaults.Fly, RandomFaults.Telegram, RandomFaults.Slack }, system =>
            Assert.True(faults.CountOf(system, FaultKind.RateLimited) + faults.CountOf(system, FaultKind.ServerError) > 0, $"no faults on {system}"));
        Assert.True(faults.CountOf(RandomFaults.GitHub, FaultKind.Timeout) + faults.CountOf(RandomFaults.Fly, FaultKind.Timeout) > 0, "no timeouts");
    }

    private static void NoProblems(IReadOnlyList<string> problems) => Assert.True(problems.Count == 0, string.Join("\n", problems));

    private static string BotHostDescribe(Release release) => Harness.BotHost.Describe(release);

    // Cards settle after the last step: the lanes catch up once the faults stop.
    private static async Task EachCardShowsTheEndAsync(FaultWorld world, IReadOnlyList<Release> releases)
    {
        foreach (var release in releases)
        {
            var end = release.State == ReleaseState.Released ? $"Released {release.Tag} to {release.Environment}" : "Failed at";
            await Harness.Eventually.TrueAsync(() => Cards(world, release).Any(text => text.Contains(end, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), $"the card of #{release.Id} showing '{end}'", () => string.Join("\n---\n", Cards(world, release)));
        }
    }

    private static IReadOnlyList<string> Cards(FaultWorld world, Release release)
    {
        var title = $"Release #{release.Id} ";
        return release.Channel?.Platform == "telegram"
            ? [.. world.Telegram.BotMessages(FaultWorld.Group).Where(m => m.Html is not null && m.Text.StartsWith(title, StringComparison.Ordinal)).Select(m => m.Text)]
            : [.. world.Slack.Messages(FaultWorld.SlackChannel).Where(m => m.ThreadTs is null && m.Text.StartsWith(title, StringComparison.Ordinal)).Select(m => m.AllText)];
    }

    // One card per release, in the chat it was asked in, and at most one closing message.
    private static List<string> CardProblems(FaultWorld world, IReadOnlyList<Release> releases)
    {
        var problems = new List<string>();
        var texts = world.Telegram.BotMessages(FaultWorld.Group).Select(m => m.Text)
            .Concat(world.Slack.Messages(FaultWorld.SlackChannel).Select(m => m.AllText)).ToList();
        foreach (var release in releases)
        {
            if (Cards(world, release).Count != 1)
                problems.Add($"#{release.Id} has {Cards(world, release).Count} cards");
            var closing = $"release #{release.Id} of {release.Tag} to {release.Environment}";
            var closings = texts.Count(t => (t.Contains("Done: " + closing, StringComparison.Ordinal) || t.Contains("Failed: " + closing, StringComparison.Ordinal)));
            if (closings > 1)
                problems.Add($"#{release.Id} has {closings} closing messages");
        }
        return problems;
    }

    private static string Seconds(double seconds) => $"{seconds:F1} s";

    private void Report(FaultWorld world, IReadOnlyList<Release> releases, ConcurrentDictionary<long, IReadOnlyList<string>> attentions, TimeSpan took)
    {
        var failed = releases.Count(r => r.State == ReleaseState.Failed);
        var released = releases.Count(r => r.State == ReleaseState.Released);
        var summary = $"{releases.Count} releases on 2 instances, {world.Faults.Total} faults injected ({world.Faults.Rate:P0} of calls, seed {world.Faults.Seed}), "
            + $"{released} released, {failed} failed clearly, {attentions.Values.Count(a => a.Count > 0)} resumed after NeedsAttention, in {took.TotalSeconds:F0} s";
        var details = releases.Where(r => r.State != ReleaseState.Released).Select(r => $"#{r.Id} {r.Tag} → {r.Environment}: {r.State} at {r.StoppedAt}: {r.Error}")
            .Concat(attentions.Where(a => a.Value.Count > 0).OrderBy(a => a.Key).SelectMany(a => a.Value.Select(why => $"#{a.Key} needed attention at {why}")))
            .Append($"outcomes: {SuiteFigures.Outcomes(releases)}")
            .Append($"time per release: {Seconds(releases.Average(r => (r.UpdatedAt - r.CreatedAt).TotalSeconds))} from request to end, "
                + $"{Seconds(releases.Average(r => r.Steps.Sum(s => ((s.FinishedAt ?? s.StartedAt) - s.StartedAt)?.TotalSeconds ?? 0)))} in steps; the suite took {Seconds(took.TotalSeconds)}")
            .Append($"outside mutations: {world.Sandbox.Mutations.Entries.Count}; log events {world.Logs.Events}, escaped exceptions {world.Logs.Escaped.Count}")
            .Concat(world.Logs.Escaped.Take(5));
        SuiteFigures.Report(output, "fault-suite", summary, world.Faults, details);
    }
}
