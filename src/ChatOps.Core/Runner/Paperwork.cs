using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;

namespace ChatOps.Core.Runner;

/// <summary>
/// Redoes the documentation of a release that was released with its paperwork failed (a changelog or GitHub
/// release that could not be written): /resume on such a release runs the paperwork step again, and nothing else.
/// </summary>
public sealed class Paperwork(StepExecutor steps, ReleaseRecorder recorder)
{
    /// <summary>Runs the paperwork step for a release that is held by the caller.</summary>
    public async Task<Decision> RedoAsync(Release release, ChatUser user, CancellationToken leased)
    {
        if (Runbook.PaperworkOf(release) is not { Step: { } step } row)
            return Decision.No($"Release #{release.Id} has no paperwork to redo.");
        var record = release.Step(row.Name);
        var outcome = await steps.RunAsync(step, release, record, leased);
        var done = new ReleaseWorkflow(release).ApplyPaperwork(record, outcome);
        await recorder.SaveAsync(release, user.Id, "paperwork", release.State, outcome.Detail, leased);
        return done
            ? Decision.Yes($"The paperwork of release #{release.Id} is done: {outcome.Detail}.")
            : Decision.No($"The paperwork of release #{release.Id} failed again: {outcome.Detail}. The release itself stays Released.");
    }
}
