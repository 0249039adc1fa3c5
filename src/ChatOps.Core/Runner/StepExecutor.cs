using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>Runs one runbook step against the outside systems and turns whatever happens into its outcome.</summary>
public sealed class StepExecutor(
    ReleasePorts ports,
    ChatOpsSettings settings,
    RunnerSettings runnerSettings,
    IEnvironmentStore environments,
    ReleaseRecorder recorder,
    TimeProvider clock,
    ILogger<StepExecutor> log)
{
    public async Task<StepOutcome> RunAsync(IReleaseStep step, Release release, CancellationToken cancellationToken)
    {
        if (!settings.Environments.TryGetValue(release.Environment, out var environment))
            return StepOutcome.Fail($"Environment {release.Environment} is no longer configured.");
        var context = new StepContext(release, environment, ports, runnerSettings, environments, clock, ct => recorder.CheckpointAsync(release, ct));
        try
        {
            return await step.RunAsync(context, cancellationToken);
        }
        catch (OutcomeUnknownException unknown)
        {
            return new StepOutcome(StepResult.Failed, unknown.Message) { OutcomeUnknown = true };
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "Step {Step} of release {ReleaseId} failed", step.State, release.Id);
            return StepOutcome.Fail(e is TaskCanceledException or TimeoutException ? $"timed out: {e.Message}" : e.Message);
        }
    }
}
