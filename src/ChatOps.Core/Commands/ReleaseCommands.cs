using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Runner;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/release and /promote: who may, whether the environment allows it now (lock, freeze window), and the promotion rule; then the release is started.</summary>
public sealed class ReleaseCommands(LockRules locks, FreezeRules freezes, PromotionRule promotion, IReleaseStore releases, IEnvironmentStore environments,
    ReleaseStarter starter, RunnerSettings runnerSettings, TimeProvider clock) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is ReleaseCommand { DryRun: false } or PromoteCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) => Started(command switch
    {
        ReleaseCommand release => await StartReleaseAsync(release.Environment, release.Tag.Value, sender.User, sender.Channel, cancellationToken,
            release.SkipPromotion, sender.Place?.Private == true, release.OverrideFreeze, release.Hotfix),
        PromoteCommand promote => await PromoteAsync(promote, sender, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(command)),
    });

    /// <summary>/promote is /release to the environment that promotes from the source, under the same rule.</summary>
    private async Task<StartResult> PromoteAsync(PromoteCommand promote, Sender sender, CancellationToken cancellationToken)
    {
        var route = promotion.Route(promote.From, promote.To);
        if (route.Refusal is { } refusal)
            return StartResult.No(refusal);
        return await StartReleaseAsync(route.To!, promote.Tag.Value, sender.User, sender.Channel, cancellationToken, promote.SkipPromotion, sender.Place?.Private == true, promote.OverrideFreeze);
    }

    private static BotReply Started(StartResult started) => started.Release is { } release
        ? new BotReply($"Release #{release.Id} of {release.Tag} to {release.Environment} started{Promoted(release)}{Thawed(release)}{Hotfix(release)}. /cancel {release.Id} stops it before migrations.")
        : new BotReply(started.Refusal!, IsRefusal: true);

    private static string Hotfix(Release release) => release.Outputs is { Hotfix: true, Incident: { } incident }
        ? $" as the hotfix for {incident.Describe()}: an approver approves it"
        : "";

    private static string Thawed(Release release) => release.Outputs.FreezeOverride is { Window: { } window } o
        ? $" inside the freeze ({window}, until {o.Until}), overridden by {o.By}: {o.Reason}"
        : "";

    private static string Promoted(Release release) => release.Outputs.Promotion switch
    {
        { SkippedBy: { } by } p => $" without the promotion rule (skipped by {by}: {p.SkipReason})",
        { SourceReleaseId: { } id } p => $", promoted from {p.From} release #{id} with the same images",
        _ => "",
    };

    /// <param name="skipPromotion">An approver's reason to release without the promotion rule (--skip-promotion); null keeps the rule.</param>
    /// <param name="privateChat">Asked for in a one-to-one chat with the bot, where no approver sees the card.</param>
    /// <param name="overrideFreeze">An approver's reason to release inside a freeze window (--override-freeze); null keeps the freeze.</param>
    /// <param name="hotfix">The fix of the environment's open incident (--hotfix): allowed in it, and approved by an approver.</param>
    public async Task<StartResult> StartReleaseAsync(string environment, string tag, ChatUser user, ChatChannel? channel, CancellationToken cancellationToken,
        string? skipPromotion = null, bool privateChat = false, string? overrideFreeze = null, bool hotfix = false)
    {
        var now = clock.GetUtcNow();
        var state = await environments.GetAsync(environment, cancellationToken);
        // Whether the person is a releaser is asked first, then the lock and the incident.
        if (locks.MayStartRelease(user, environment, state, now, hotfix, tag) is { } locked)
            return StartResult.No(locked);
        var freeze = freezes.AtStart(user, environment, tag, overrideFreeze, now);
        if (freeze.Refusal is { } frozen)
            return StartResult.No(frozen);
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
        release.Outputs.FreezeOverride = freeze.Override;
        release.Outputs.Incident = state.Incident?.Note();
        release.Outputs.Hotfix = hotfix;
        var detail = verdict?.Promotion switch
        {
            { SkippedBy: { } by } p => $"release {tag} requested, promotion from {p.From} skipped by {by}: {p.SkipReason}",
            { SourceReleaseId: { } id } p => $"release {tag} requested, promoted from {p.From} release #{id}",
            _ => $"release {tag} requested",
        };
        if (freeze.Override is not null)
            detail += ", " + freeze.AuditText(id => id);
        if (hotfix)
            detail += $", hotfix for {state.Incident!.Describe()}";
        return await starter.StartAsync(release, user, detail, cancellationToken);
    }
}
