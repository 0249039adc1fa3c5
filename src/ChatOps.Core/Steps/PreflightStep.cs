using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// Runbook §1: the head of the release branch (for a promotion, the commit its source released) must have every required
/// check green, and every service's image must be in the registry, before anything is tagged or changed.
/// </summary>
public sealed class PreflightStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Preflight;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var outputs = context.Release.Outputs;
        var check = await CheckAsync(context, cancellationToken);
        if (outputs.HeadSha != check.Sha || outputs.Links.Commit is null)
            outputs.Links.Commit = await CommitUrlAsync(context, check.Sha, cancellationToken);
        outputs.HeadSha = check.Sha;
        outputs.PassedChecks = check.Passed.ToList();
        outputs.Links.FailedChecks = check.FailedLinks.ToList();
        if (!check.Ok)
            return StepOutcome.Fail(check.Problem);
        var images = await CheckImagesAsync(context, cancellationToken);
        if (images.Problem is { } missing)
            return StepOutcome.Fail(missing);
        // What the tags point at now: the migration machine starts on these; the approval looks them up again and binds them.
        outputs.PlannedDigests = images.Digests;

        foreach (var service in context.Environment.Services)
        {
            if (outputs.PreviousVersions.ContainsKey(service.Name) || service.VersionUrl.Length == 0)
                continue;
            var version = await context.Ports.Probes.VersionAsync(service.VersionUrl, context.Environment.ApiKey, cancellationToken);
            outputs.PreviousVersions[service.Name] = version.Ok ? version.Value : null;
        }
        context.Release.PreviousTag ??= outputs.PreviousVersions.Values.FirstOrDefault(v => v is not null);
        return StepOutcome.Done($"{Short(check.Sha)}: {string.Join(", ", check.Passed)} passed");
    }

    /// <summary>
    /// Every service's image, looked up in the registry: a missing one names the command that pushes it. A registry that
    /// cannot be reached or refuses the token throws, and the step fails with that: never a silent pass.
    /// </summary>
    public static async Task<ImageCheck> CheckImagesAsync(StepContext context, CancellationToken cancellationToken)
    {
        var digests = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var missing = new List<string>();
        if (context.Ports.Registry is not { } registry)
            return new ImageCheck(digests, null);
        foreach (var service in context.Environment.Services)
        {
            var image = DeployStep.ImageOf(context.Release, service);
            var lookup = await registry.LookUpAsync(image, cancellationToken);
            if (lookup.State == ImageState.Missing)
                missing.Add($"{image} (push it with `fly deploy --build-only --push --image-label {context.Release.Tag} -a {service.FlyApp}`)");
            else if (lookup.Digest is { } digest)
                digests[service.Name] = digest;
        }
        return new ImageCheck(digests, missing.Count == 0 ? null
            : $"{(missing.Count == 1 ? "An image is" : "Images are")} not in the registry: {string.Join("; ", missing)}. Nothing was tagged or changed.");
    }

    public static async Task<PreflightCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        // A promotion ships the commit its source released (already tagged), not whatever the branch moved on to since.
        var sha = context.Release.Outputs.Promotion?.Sha ?? await context.Ports.SourceControl.GetHeadShaAsync(cancellationToken);
        var checks = await context.Ports.SourceControl.GetChecksAsync(sha, cancellationToken);
        var byName = checks.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var required = context.Settings.RequiredChecks;
        var missing = required.Where(r => !byName.ContainsKey(r)).ToList();
        var failing = required.Where(r => byName.TryGetValue(r, out var c) && !c.Passed)
            .Select(r => $"{r} ({byName[r].Conclusion ?? byName[r].Status})").ToList();
        var passed = required.Where(r => byName.TryGetValue(r, out var c) && c.Passed).ToList();
        var problems = new List<string>();
        if (failing.Count > 0)
            problems.Add($"failing: {string.Join(", ", failing)}");
        if (missing.Count > 0)
            problems.Add($"missing: {string.Join(", ", missing)}");
        var problem = problems.Count == 0 ? "" : $"Required checks on {Short(sha)} are not green — {string.Join("; ", problems)}.";
        var failedLinks = required.Where(r => byName.TryGetValue(r, out var c) && !c.Passed && c.Url is not null)
            .Select(r => new NamedLink(r, byName[r].Url!)).ToList();
        return new PreflightCheck(sha, passed, problem) { FailedLinks = failedLinks };
    }

    // A link is a courtesy on the card: a GitHub that cannot name the commit's page must not hold the release back.
    private static async Task<string?> CommitUrlAsync(StepContext context, string sha, CancellationToken cancellationToken)
    {
        try
        {
            return await context.Ports.SourceControl.GetCommitUrlAsync(sha, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return null;
        }
    }

    internal static string Short(string? sha) => sha is { Length: > 7 } ? sha[..7] : sha ?? "?";
}

/// <param name="Digests">Per service, the digest its image has now, where the registry said.</param>
/// <param name="Problem">The images that are not in the registry, said with how to push them; null when all are there.</param>
public sealed record ImageCheck(Dictionary<string, string> Digests, string? Problem);

public sealed record PreflightCheck(string Sha, IReadOnlyList<string> Passed, string Problem)
{
    /// <summary>The required checks that are not green and have a page to look at.</summary>
    public IReadOnlyList<NamedLink> FailedLinks { get; init; } = [];

    public bool Ok => Problem.Length == 0;
}
