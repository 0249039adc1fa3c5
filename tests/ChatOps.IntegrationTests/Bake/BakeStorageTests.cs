using ChatOps.Core.Bake;
using ChatOps.Core.Releases;
using ChatOps.Host.Store;

namespace ChatOps.IntegrationTests.Bake;

// A bake resumes from what the store gives back: the window, the latest figures and the time of the next turn.
public sealed class BakeStorageTests
{
    [Fact]
    public void A_stored_bake_reads_back_with_its_deadline_figures_and_next_turn()
    {
        var start = new DateTimeOffset(2026, 12, 7, 3, 2, 0, TimeSpan.Zero);
        var bake = BakeRecord.Start(start.AddMinutes(-2), start, TimeSpan.FromMinutes(10)) with
        {
            LastEvaluatedAt = start.AddMinutes(4),
            LastVerdict = BakeVerdict.Inconclusive,
            LastReason = "api: not enough traffic to judge: 12 requests in 4 min (100 needed)",
            Figures = ["5xx 0.0 % (before 0.3 %) · p95 n/a (before 190 ms) · 12 requests"],
        };
        var release = new Release { Kind = ReleaseKind.Release, State = ReleaseState.Bake, Tag = "v1.1.0", Environment = "production" };
        release.Outputs.Bake = bake;
        release.Step(nameof(ReleaseState.Bake)).WakeAt = start.AddMinutes(5);

        var read = ReleaseJson.Deserialize(ReleaseJson.Serialize(release));

        Assert.Equal(bake.Deadline, read.Outputs.Bake!.Deadline);
        Assert.Equal(bake.LastVerdict, read.Outputs.Bake.LastVerdict);
        Assert.Equal(bake.Figures, read.Outputs.Bake.Figures);
        Assert.Equal(bake.LastReason, read.Outputs.Bake.LastReason);
        Assert.Equal(start.AddMinutes(5), read.Step(nameof(ReleaseState.Bake)).WakeAt);
    }
}
