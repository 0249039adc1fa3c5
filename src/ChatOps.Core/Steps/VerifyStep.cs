using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §5 health checks: every service says <c>ok</c> and reports the released version.</summary>
public sealed class VerifyStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Verify;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var problems = await CheckAsync(context, context.Release.Tag, cancellationToken);
        return problems.Count == 0
            ? StepOutcome.Done($"{context.Environment.Services.Count} services healthy on {context.Release.Tag}")
            : StepOutcome.Fail(string.Join("; ", problems));
    }

    /// <summary>Probes every service, a few times, until healthy on the tag; returns what is still wrong.</summary>
    public static Task<List<string>> CheckAsync(StepContext context, string tag, CancellationToken cancellationToken) =>
        CheckAsync(context, context.Environment.Services, tag, cancellationToken);

    /// <summary>Probes the given services, a few times, until healthy on the tag; returns what is still wrong.</summary>
    public static async Task<List<string>> CheckAsync(StepContext context, IReadOnlyList<ServiceSettings> services, string tag, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        for (var attempt = 1; attempt <= context.Settings.VerifyAttempts; attempt++)
        {
            problems.Clear();
            foreach (var service in services)
                problems.AddRange(await ProblemsAsync(context, service, tag, cancellationToken));
            if (problems.Count == 0 || attempt == context.Settings.VerifyAttempts)
                break;
            await Task.Delay(context.Settings.VerifyInterval, context.Clock, cancellationToken);
        }
        return problems;
    }

    private static async Task<List<string>> ProblemsAsync(StepContext context, ServiceSettings service, string tag, CancellationToken cancellationToken)
    {
        var problems = new List<string>();
        var health = await context.Ports.Probes.HealthAsync(service.HealthUrl, cancellationToken);
        if (!health.Ok)
            problems.Add($"{service.Name} /health: {health.Detail}");
        if (service.VersionUrl.Length == 0)
            return problems;
        var version = await context.Ports.Probes.VersionAsync(service.VersionUrl, context.Environment.ApiKey, cancellationToken);
        if (!version.Ok)
            problems.Add($"{service.Name} /version: {version.Detail}");
        else if (version.Value != tag)
            problems.Add($"{service.Name} reports version {version.Value}, expected {tag}");
        return problems;
    }
}
