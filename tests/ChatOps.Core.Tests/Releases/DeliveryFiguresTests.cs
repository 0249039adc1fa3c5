using ChatOps.Core.Releases;

namespace ChatOps.Core.Tests.Releases;

public sealed class DeliveryFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 8, 31, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(int day, int hour = 12) => new(2026, 8, day, hour, 0, 0, TimeSpan.Zero);

    private static Release Release(long id, string tag, ReleaseState state, DateTimeOffset end, DateTimeOffset? oldestCommit = null)
    {
        var release = new Release { Id = id, Kind = ReleaseKind.Release, Environment = "production", Tag = tag, State = state, CreatedAt = end.AddMinutes(-10), UpdatedAt = end };
        release.Steps.Add(new StepRecord { Name = nameof(ReleaseState.Deploy), Status = StepStatus.Done, FinishedAt = end });
        if (state == ReleaseState.Released)
            release.Outputs.ReleasedAt = end;
        release.Outputs.OldestCommitAt = oldestCommit;
        return release;
    }

    private static Release Rollback(long id, long of, string from, string to, DateTimeOffset requested, DateTimeOffset end)
    {
        var rollback = new Release
        {
            Id = id,
            Kind = ReleaseKind.Rollback,
            Environment = "production",
            Tag = to,
            PreviousTag = from,
            RollbackOf = of,
            State = ReleaseState.RolledBack,
            CreatedAt = requested,
            UpdatedAt = end,
        };
        rollback.Steps.Add(new StepRecord { Name = "Redeploy", Status = StepStatus.Done, FinishedAt = end });
        return rollback;
    }

    /// <summary>
    /// Over the last 30 days: #2 released (lead 2 days), #3 released then rolled back by #4 one hour after its request,
    /// #5 failed at Deploy and #6 released three hours later (lead 4 days); #1 released before the period and counts nowhere.
    /// </summary>
    private static IReadOnlyList<Release> SeededHistory()
    {
        var three = Release(3, "v0.3.0", ReleaseState.Released, Day(10), oldestCommit: Day(9));
        three.Outputs.RollbackReleaseId = 4;
        return
        [
            Release(6, "v0.5.1", ReleaseState.Released, Day(20, 15), oldestCommit: Day(16, 15)),
            Release(5, "v0.5.0", ReleaseState.Failed, Day(20, 12)),
            Rollback(4, 3, "v0.3.0", "v0.2.0", Day(11, 9), Day(11, 10)),
            three,
            Release(2, "v0.2.0", ReleaseState.Released, Day(5), oldestCommit: Day(3)),
            Release(1, "v0.1.0", ReleaseState.Released, new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero)),
        ];
    }

    [Fact]
    public void Deployment_frequency_counts_the_releases_that_reached_Released_in_the_period()
    {
        var figures = DeliveryFigures.Of("production", SeededHistory(), Now, TimeSpan.FromDays(30));

        Assert.Equal(3, figures.Deployments);
        Assert.Equal(0.7, figures.PerWeek, precision: 2);
    }

    [Fact]
    public void Lead_time_is_the_median_from_the_oldest_commit_to_Released()
    {
        var figures = DeliveryFigures.Of("production", SeededHistory(), Now, TimeSpan.FromDays(30));

        Assert.Equal(TimeSpan.FromDays(2), figures.LeadTime);
        Assert.Equal(3, figures.LeadTimeSamples);
    }

    [Fact]
    public void Change_failure_rate_counts_releases_that_failed_after_deploy_began_or_were_rolled_back()
    {
        var figures = DeliveryFigures.Of("production", SeededHistory(), Now, TimeSpan.FromDays(30));

        Assert.Equal((2, 4), (figures.FailedChanges, figures.Changes));
        Assert.Equal(0.5, figures.ChangeFailureRate);
    }

    [Fact]
    public void Time_to_restore_is_the_median_from_failure_to_rolled_back_or_the_next_release_Released()
    {
        var figures = DeliveryFigures.Of("production", SeededHistory(), Now, TimeSpan.FromDays(30));

        // Rolled back one hour after the rollback was asked for; the failed release was followed by a good one after three hours.
        Assert.Equal(TimeSpan.FromHours(2), figures.TimeToRestore);
        Assert.Equal(2, figures.Restores);
    }

    [Fact]
    public void A_shorter_period_leaves_out_what_happened_before_it()
    {
        var figures = DeliveryFigures.Of("production", SeededHistory(), Now, TimeSpan.FromDays(15));

        Assert.Equal((1, 2, 1), (figures.Deployments, figures.Changes, figures.FailedChanges));
        Assert.Equal(TimeSpan.FromHours(3), figures.TimeToRestore);
    }

    [Fact]
    public void An_environment_with_no_history_has_no_figures_rather_than_zeros_that_look_measured()
    {
        var figures = DeliveryFigures.Of("production", [], Now, TimeSpan.FromDays(30));

        Assert.Equal(0, figures.Deployments);
        Assert.Null(figures.LeadTime);
        Assert.Null(figures.ChangeFailureRate);
        Assert.Null(figures.TimeToRestore);
    }
}
