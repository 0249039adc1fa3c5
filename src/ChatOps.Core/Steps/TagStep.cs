using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §2: an annotated tag on the checked head commit.</summary>
public sealed class TagStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Tag;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var sha = release.Outputs.HeadSha ?? throw new InvalidOperationException("Preflight did not record the head commit.");
        try
        {
            var result = await context.Ports.SourceControl.EnsureTagAsync(
                release.Tag, sha, $"Release {release.Tag} by {release.Requester} via ChatOps", cancellationToken);
            release.Outputs.TagObjectSha = result.TagObjectSha;
            release.Outputs.Links.Tag = result.HtmlUrl ?? release.Outputs.Links.Tag;
            return StepOutcome.Done(result.Created
                ? $"{release.Tag} → {PreflightStep.Short(sha)}"
                : $"{release.Tag} already on {PreflightStep.Short(sha)}");
        }
        catch (TagConflictException conflict)
        {
            return StepOutcome.Fail(conflict.Message);
        }
    }
}
