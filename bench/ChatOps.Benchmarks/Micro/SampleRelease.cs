using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Benchmarks.Micro;

/// <summary>A release record as full as a real one gets: every step run, two services on two machines, three migrations.</summary>
public static class SampleRelease
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    public static Release Released() => Build(ReleaseState.Released);

    /// <summary>Stopped at the approval gate, with the migrations listed and the buttons open.</summary>
    public static Release AwaitingApproval() => Build(ReleaseState.AwaitApproval);

    public static IReadOnlyList<ActionToken> OpenTokens(long releaseId) =>
    [
        new("tok-approve-0123456789ab", releaseId, CardAction.Approve, "approval-1", "hash", Start, Start.AddMinutes(30)),
        new("tok-reject-0123456789abc", releaseId, CardAction.Reject, "approval-1", "hash", Start, Start.AddMinutes(30)),
        new("tok-cancel-0123456789abc", releaseId, CardAction.Cancel, "cancel", null, Start, Start.AddMinutes(30)),
    ];

    private static Release Build(ReleaseState state)
    {
        var release = new Release
        {
            Id = 42,
            Kind = ReleaseKind.Release,
            Environment = "production",
            Tag = "v1.4.0",
            PreviousTag = "v1.3.2",
            Requester = "telegram:alice",
            Channel = new ChatChannel("telegram", "-1001234567890"),
            CardMessageId = "9876",
            State = state,
            BotVersion = "1.0.0+bcb0c77",
            CreatedAt = Start,
            UpdatedAt = Start.AddSeconds(95),
        };
        var o = release.Outputs;
        o.HeadSha = "3f9c2d4e5b6a7980a1b2c3d4e5f60718293a4b5c";
        o.TagObjectSha = "a1b2c3d4e5f60718293a4b5c3f9c2d4e5b6a7980";
        o.PassedChecks = ["test", "coverage", "ruff", "black"];
        o.PreviousVersions["api"] = "v1.3.2";
        o.PreviousVersions["orchestrator"] = "v1.3.2";
        o.Backup = new BackupRecord("pg_dump", "/data/backups/production-v1.4.0-20261125T100012Z.dump", 48_213_504,
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Start.AddSeconds(12));
        o.Migrations = new MigrationPreview("a1b2c3", "f6e5d4",
        [
            new("b2c3d4", "add runs.priority"),
            new("c3d4e5", "index artifacts by run"),
            new("f6e5d4", "webhook_events retention"),
        ]);
        o.PlanHash = "5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8";
        var after = state == ReleaseState.Released;
        foreach (var (service, app) in new[] { ("api", "myloware-api"), ("orchestrator", "myloware-orchestrator") })
        {
            for (var i = 0; i < 2; i++)
                o.Machines.Add(new MachineImage
                {
                    Service = service,
                    App = app,
                    MachineId = $"{app[^3..]}-machine-{i}",
                    Before = $"registry.fly.io/{app}:v1.3.2",
                    After = after ? $"registry.fly.io/{app}:v1.4.0" : null,
                });
        }
        if (after)
        {
            o.ApprovedBy = "telegram:bob";
            o.MigrationExitCode = 0;
            o.MigrationOutputTail = "INFO  [alembic.runtime.migration] Running upgrade c3d4e5 -> f6e5d4, webhook_events retention";
            o.Captured["runId"] = "run_01HZX3";
            o.ChangelogCommit = "0718293a4b5c3f9c2d4e5b6a7980a1b2c3d4e5f6";
        }
        var at = Start;
        foreach (var step in Runbook.Release.Select(row => row.State))
        {
            var reached = after || step < ReleaseState.AwaitApproval;
            var waiting = step == ReleaseState.AwaitApproval && !after;
            if (!reached && !waiting)
                continue;
            release.Steps.Add(new StepRecord
            {
                Name = step.ToString(),
                Status = waiting ? StepStatus.Waiting : StepStatus.Done,
                StartedAt = at,
                FinishedAt = waiting ? null : at.AddSeconds(7),
                Detail = $"{step} detail as the step wrote it",
                Attempts = 1,
            });
            at = at.AddSeconds(8);
        }
        return release;
    }
}
