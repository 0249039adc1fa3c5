using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/resume: a release that needs attention goes on where it stopped; a released one whose paperwork failed redoes only that.</summary>
public sealed class ResumeCommands(StopRules rules, HeldRelease held, IEnvironmentStore environments, ReleaseRecorder recorder, Paperwork paperwork, ReleaseQueue queue,
    TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is ResumeCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) =>
        BotReply.Of(await ResumeAsync(((ResumeCommand)command).ReleaseId, sender.User, cancellationToken));

    public async Task<Decision> ResumeAsync(long releaseId, ChatUser user, CancellationToken cancellationToken)
    {
        var decision = await held.DecideAsync(releaseId, async (release, leased) =>
        {
            if (release is { State: ReleaseState.Released, Outputs.PaperworkError: not null })
                return await paperwork.RedoAsync(release, user, leased);
            if ((rules.MayResume(release, releaseId, user)
                ?? LockRules.IsFrozen(release!, await environments.GetAsync(release!.Environment, leased), clock.GetUtcNow())) is { } refusal)
                return Decision.No(refusal);
            var step = release!.StoppedAt;
            new ReleaseWorkflow(release).Resume();
            await recorder.SaveAsync(release, user.Id, "resume", ReleaseState.NeedsAttention, $"resumed by {user}", leased);
            return Decision.Yes($"Release #{releaseId} resumes at {step}.");
        }, cancellationToken);
        if (decision.Accepted)
            queue.Enqueue(releaseId);
        return decision;
    }
}
