using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §6: the configured probes in order; values captured by one are usable by the next.</summary>
public sealed class SmokeStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Smoke;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var tests = context.Environment.SmokeTests;
        if (tests.Count == 0)
            return StepOutcome.Skip("no smoke tests configured");
        var captured = context.Release.Outputs.Captured;
        foreach (var test in tests)
        {
            var result = await context.Ports.Probes.SmokeAsync(test, context.Environment.ApiKey, captured, cancellationToken);
            if (!result.Ok)
                return StepOutcome.Fail($"smoke test '{test.Name}' failed: {result.Detail}");
            foreach (var (key, value) in result.Captured)
                captured[key] = value;
        }
        return StepOutcome.Done($"{tests.Count} smoke test{(tests.Count == 1 ? "" : "s")} passed");
    }
}
