using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §8: metrics still flow after the deploy. Optional; skipped with a note when not configured.</summary>
public sealed class ObserveStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Observe;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var settings = context.Environment.Observability;
        if (!settings.IsConfigured)
            return StepOutcome.Skip("observability not configured (ChatOps:Environments:<env>:Observability)");
        var since = context.Release.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.Deploy))?.StartedAt ?? context.Release.CreatedAt;
        var result = await context.Ports.Probes.ObserveAsync(settings, since, cancellationToken);
        return result.Ok ? StepOutcome.Done(result.Detail) : StepOutcome.Fail(result.Detail);
    }
}
