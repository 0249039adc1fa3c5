using ChatOps.Core.Bake;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;

namespace ChatOps.Core.Commands;

/// <summary>/bake: a person ends a release's bake early, skipped (released now) or faulty (failed, rolled back where AutoRollback says so).</summary>
public sealed class BakeCommands(BakeRules rules, HeldRelease held, ReleaseRecorder recorder, ReleaseQueue queue, TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is BakeCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) =>
        BotReply.Of(await EndAsync((BakeCommand)command, sender.User, cancellationToken));

    public async Task<Decision> EndAsync(BakeCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        var decision = await held.DecideAsync(command.ReleaseId, async (release, leased) =>
        {
            if (rules.MayEnd(release, command.ReleaseId, user, command.Faulty) is { } refusal)
                return Decision.No(refusal);
            var now = clock.GetUtcNow();
            var bake = release!.Outputs.Bake ?? BakeRecord.Start(now, now, TimeSpan.Zero);
            release.Outputs.Bake = bake with { EndedEarly = new BakeEnd(user.Id, command.Reason, command.Faulty) };
            // Its next turn is now: the step reads the end and moves the release on.
            release.Step(nameof(ReleaseState.Bake)).WakeAt = now;
            await recorder.SaveAsync(release, user.Id, command.Faulty ? "bake-faulty" : "bake-skip", ReleaseState.Bake, command.Reason, leased);
            return Decision.Yes(command.Faulty
                ? $"Release #{command.ReleaseId} marked faulty by {user}: its bake fails now ({command.Reason})."
                : $"Release #{command.ReleaseId}'s bake skipped by {user}: it is released now ({command.Reason}).");
        }, cancellationToken);
        if (decision.Accepted)
            queue.Enqueue(command.ReleaseId);
        return decision;
    }
}
