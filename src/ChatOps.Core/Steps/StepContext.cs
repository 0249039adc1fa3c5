using ChatOps.Core.Bake;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Steps;

/// <summary>The outside systems a release talks to, each behind its own small interface.</summary>
/// <param name="Registry">Where the images' digests are read; without one, a plan binds image references only.</param>
/// <param name="Metrics">Where the bake reads its figures (Prometheus); without one, a bake watches the machines alone.</param>
public sealed record ReleasePorts(
    ISourceControl SourceControl, IDeployTarget DeployTarget, IDatabaseOperations Database, IServiceProbes Probes, IImageRegistry? Registry = null, IMetricsQuery? Metrics = null);

/// <summary>Settings the runner takes from outside the ChatOps section (GitHub:RequiredChecks, the bot's version).</summary>
public sealed record RunnerSettings(IReadOnlyList<string> RequiredChecks, string BotVersion)
{
    /// <summary>How many times Verify probes a service before calling it unhealthy.</summary>
    public int VerifyAttempts { get; init; } = 5;

    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a claim on a release lasts unless renewed; another instance takes over after it.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a rollout looks for a stop asked for meanwhile (here or on another instance), to end a machine's health wait.</summary>
    public TimeSpan StopPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a running step's card is redrawn when the step says nothing (elapsed time, a stall).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long the bot tries, once per release, to create its GitHub deployment (and once to end it): bookkeeping never holds a release up for longer.</summary>
    public TimeSpan DeploymentRecordTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>This bot instance's name in leases and the audit log.</summary>
    public string Owner { get; init; } = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";
}

/// <summary>Where a step's checkpoints, progress and details go: the runner saves and shows them; a dry run drops them.</summary>
public sealed record StepReports(
    Func<CancellationToken, Task> Checkpoint,
    Func<string, CancellationToken, Task>? Progress = null,
    Func<string, string?, CancellationToken, Task>? Details = null);

public sealed class StepContext(
    Release release,
    EnvironmentSettings environment,
    ReleasePorts ports,
    RunnerSettings settings,
    IEnvironmentRecords environments,
    TimeProvider clock,
    StepReports reports)
{
    public Release Release { get; } = release;
    public EnvironmentSettings Environment { get; } = environment;
    public ReleasePorts Ports { get; } = ports;
    public RunnerSettings Settings { get; } = settings;
    public IEnvironmentRecords Environments { get; } = environments;
    public TimeProvider Clock { get; } = clock;

    /// <summary>Saves progress made inside a long step (one machine deployed), so a crash resumes after it.</summary>
    public Task CheckpointAsync(CancellationToken cancellationToken) => reports.Checkpoint(cancellationToken);

    /// <summary>Says where a long step is ("api: machine 2/3"); the runner shows it on the card within the chat's budget.</summary>
    public Task ReportAsync(string detail, CancellationToken cancellationToken) =>
        reports.Progress is null ? Task.CompletedTask : reports.Progress(detail, cancellationToken);

    /// <summary>
    /// Says something worth reading beside the card (a machine updated, a command's console <paramref name="output"/>);
    /// the chat decides where, or whether, it shows.
    /// </summary>
    public Task DetailAsync(string text, string? output, CancellationToken cancellationToken) =>
        reports.Details is null ? Task.CompletedTask : reports.Details(text, output, cancellationToken);
}

public enum StepResult
{
    Succeeded,
    Skipped,
    Failed,
    AwaitApproval,
    NothingToApprove,
    PlanChanged,

    /// <summary>A watch's turn is done and the next is due later: the release rests in its state until then.</summary>
    Watching,
}

public sealed record StepOutcome(StepResult Result, string Detail)
{
    /// <summary>The step cannot tell whether its outside action happened; a human must look.</summary>
    public bool OutcomeUnknown { get; init; }

    /// <summary>The step stopped at a safe point because someone asked to stop the release and roll back.</summary>
    public StopRequest? Stop { get; init; }

    public static StepOutcome Done(string detail) => new(StepResult.Succeeded, detail);

    public static StepOutcome Skip(string detail) => new(StepResult.Skipped, detail);

    public static StepOutcome Fail(string detail) => new(StepResult.Failed, detail);
}

/// <summary>One runbook step. Idempotent: run twice, it finds its own earlier work and moves on.</summary>
public interface IReleaseStep
{
    ReleaseState State { get; }

    Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken);
}
