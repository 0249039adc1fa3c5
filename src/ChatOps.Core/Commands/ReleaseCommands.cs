using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/release and /promote: who may, whether the environment allows it now, and the promotion rule; then the release is started.</summary>
public sealed class ReleaseCommands(AccessRules access, LockRules locks, PromotionRule promotion, IReleaseStore releases, IEnvironmentStore environments,
    ReleaseStarter starter, RunnerSettings runnerSettings, TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is ReleaseCommand { DryRun: false } or PromoteCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) => Started(command switch
    {
        ReleaseCommand release => await StartReleaseAsync(release.Environment, release.Tag.Value, sender.User, sender.Channel, cancellationToken,
            release.SkipPromotion, sender.Place?.Private == true),
        PromoteCommand promote => await PromoteAsync(promote, sender, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    });

    /// <summary>/promote is /release to the environment that promotes from the source, under the same rule.</summary>
    private async Task<StartResult> PromoteAsync(PromoteCommand promote, Sender sender, CancellationToken cancellationToken)
    {
        var route = promotion.Route(promote.From, promote.To);
        if (route.Refusal is { } refusal)
            return StartResult.No(refusal);
        return await StartReleaseAsync(route.To!, promote.Tag.Value, sender.User, sender.Channel, cancellationToken, promote.SkipPromotion, sender.Place?.Private == true);
    }

    private static BotReply Started(StartResult started) => started.Release is { } release
        ? new BotReply($"Release #{release.Id} of {release.Tag} to {release.Environment} started{Promoted(release)}. /cancel {release.Id} stops it before migrations.")
        : new BotReply(started.Refusal!, IsRefusal: true);

    private static string Promoted(Release release) => release.Outputs.Promotion switch
    {
        { SkippedBy: { } by } p => $" without the promotion rule (skipped by {by}: {p.SkipReason})",
        { SourceReleaseId: { } id } p => $", promoted from {p.From} release #{id} with the same images",
        _ => "",
    };

    /// <param name="skipPromotion">An approver's reason to release without the promotion rule (--skip-promotion); null keeps the rule.</param>
    /// <param name="privateChat">Asked for in a one-to-one chat with the bot, where no approver sees the card.</param>
    public async Task<StartResult> StartReleaseAsync(string environment, string tag, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken,
        string? skipPromotion = null, bool privateChat = false)
    {
        var now = clock.GetUtcNow();
        if (access.MayRelease(user) is { } refusal)
            return StartResult.No(refusal);
        if (locks.MayStartRelease(user, environment, await environments.GetAsync(environment, cancellationToken), now) is { } locked)
            return StartResult.No(locked);
        var source = promotion.SourceOf(environment, skipPromotion) is { } from
            ? await releases.ListAsync(from, activeOnly: false, limit: 200, cancellationToken)
            : [];
        var verdict = promotion.Promotion(environment, tag, user, skipPromotion, source, now);
        if (verdict?.Refusal is { } notYet)
            return StartResult.No(notYet);
        var release = new Release
        {
            Kind = ReleaseKind.Release,
            Environment = environment,
            Tag = tag,
            Requester = user.Id,
            Channel = channel,
            PrivateChat = privateChat,
            State = Runbook.Start,
            BotVersion = runnerSettings.BotVersion,
            CreatedAt = now,
            UpdatedAt = now,
        };
        release.Outputs.Promotion = verdict?.Promotion;
        var detail = verdict?.Promotion switch
        {
            { SkippedBy: { } by } p => $"release {tag} requested, promotion from {p.From} skipped by {by}: {p.SkipReason}",
            { SourceReleaseId: { } id } p => $"release {tag} requested, promoted from {p.From} release #{id}",
            _ => $"release {tag} requested",
        };
        return await starter.StartAsync(release, user, detail, cancellationToken);
    }
}
