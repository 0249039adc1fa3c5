using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Steps;

/// <summary>
/// Runbook §5: every machine of every service onto the release image. Services roll at once unless the
/// environment's <c>Deploy:Order</c> is <c>in-order</c>; the machines of one service always go one at a time,
/// so a service keeps serving while it rolls.
/// </summary>
public sealed class DeployStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Deploy;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        // What runs is what was approved: the digest shown at the approval, not whatever the tag points at by now.
        var targets = context.Environment.Services
            .Select(s => new RolloutTarget(s.Name, s.FlyApp, Pin(ImageOf(release, s), release.Outputs.PlannedDigests.GetValueOrDefault(s.Name)))).ToList();
        var count = await new Rollout(context, release.Tag, RolloutShape.ForDeploy(context.Environment)).RunAsync(targets, cancellationToken);
        return StepOutcome.Done($"{count} machine{(count == 1 ? "" : "s")} on {release.Tag}");
    }

    /// <summary>The image a service is deployed on: a promotion's is exactly what its source environment ran, never a fresh lookup of the tag.</summary>
    public static string ImageOf(Release release, ServiceSettings service) =>
        release.Outputs.Promotion?.Images.GetValueOrDefault(service.Name) ?? service.ImageFor(release.Tag);

    /// <summary>
    /// The image pinned to a digest (<c>registry.fly.io/app:v1.2.0@sha256:…</c>): the tag stays readable, the digest is
    /// what runs. Without a known digest the image is left as it is.
    /// </summary>
    public static string Pin(string image, string? digest)
    {
        if (digest is null)
            return image;
        var at = image.IndexOf('@', StringComparison.Ordinal);
        return (at >= 0 ? image[..at] : image) + "@" + digest;
    }

    /// <summary>
    /// Rolls each service's machines to its image in the shape Deploy uses, recording the image each machine ran
    /// before the first time it is seen, so a resumed deploy and a later rollback both know where every machine came from.
    /// </summary>
    public static Task<int> RollAsync(StepContext context, IEnumerable<(string Service, string App, string Image)> targets, string tag, CancellationToken cancellationToken) =>
        new Rollout(context, tag, RolloutShape.ForDeploy(context.Environment))
            .RunAsync([.. targets.Select(t => new RolloutTarget(t.Service, t.App, t.Image))], cancellationToken);
}
