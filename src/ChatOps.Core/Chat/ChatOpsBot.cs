using ChatOps.Core.Commands;
using ChatOps.Core.Decisions;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Chat;

/// <summary>
/// The command router: parses what people type or press and hands it to the decision that owns it. Every platform
/// adapter calls this, so the grammar and the rules are the same everywhere; who may do what is decided in
/// <see cref="ReleaseRules"/>, never here.
/// </summary>
public sealed class ChatOpsBot(
    ChatOpsSettings settings,
    ReleaseRules rules,
    StartDecisions starts,
    ApprovalDecisions approvals,
    StopDecisions stops,
    LockDecisions locks,
    Confirmations confirmations,
    ReleaseButtons buttons,
    IReleaseStore releases,
    IUpdateLog updates,
    StatusReporter status,
    DryRunPlanner dryRun,
    People people,
    TimeProvider clock,
    IDoctor? doctor = null)
{
    private readonly CommandParser _parser = new(settings.TagPattern, settings.BotName, settings.DefaultEnvironment, settings.Environments.Keys);

    public CommandParser Parser => _parser;

    public async Task<BotReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var parsed = _parser.Parse(message.Text);
        if (parsed.IsIgnored)
            return BotReply.None;
        // Decided before anything is read or written: a stranger's message changes nothing and calls nothing outside.
        if ((rules.MayTalkIn(message.User, message.Place) ?? (IsRead(parsed.Command) ? rules.MayRead(message.User, message.Place) : null)) is { } stranger)
            return new BotReply(stranger, IsRefusal: true);
        Func<Task<BotReply>> handle = async () => parsed.Error is { } error
            ? new BotReply(error, IsRefusal: true)
            : await ExecuteAsync(parsed.Command!, message.User, message.Channel, message.Place, cancellationToken);
        return parsed.Error is not null || ChangesNothing(parsed.Command)
            ? await ClaimedFirstAsync(message.User.Platform, message.UpdateId, handle, cancellationToken)
            : await OncePerUpdateAsync(message.User.Platform, message.UpdateId, handle, cancellationToken);
    }

    public Task<BotReply> PressAsync(ButtonPress press, CancellationToken cancellationToken) =>
        rules.MayTalkIn(press.User, press.Place) is { } stranger
            ? Task.FromResult(new BotReply(stranger, IsRefusal: true))
            : OncePerUpdateAsync(press.User.Platform, press.UpdateId, () => PressedAsync(press, cancellationToken), cancellationToken);

    /// <summary>
    /// Handles an update once however often it is delivered: the update id is written with the first change the
    /// command makes (<see cref="UpdateReceipt"/>), or on its own after a command that changed nothing. The
    /// delivery that loses that write shows nothing, and whatever it was about to change is rolled back.
    /// </summary>
    private async Task<BotReply> OncePerUpdateAsync(string platform, string? updateId, Func<Task<BotReply>> handle, CancellationToken cancellationToken)
    {
        if (updateId is null)
            return await handle();
        if (await updates.IsProcessedAsync(platform, updateId, cancellationToken))
            return BotReply.None;
        using var receipt = UpdateReceipt.Begin(platform, updateId);
        try
        {
            var reply = await handle();
            if (!receipt.IsRecorded && !await updates.TryMarkProcessedAsync(platform, updateId, cancellationToken))
                return BotReply.None;
            return reply;
        }
        catch (DuplicateUpdateException)
        {
            return BotReply.None;
        }
    }

    /// <summary>
    /// A command that only reads claims its update before the work, in the one write it needs: a redelivery, or a
    /// delivery to the other instance, gets nothing. Were the bot to stop between the claim and the answer, the person
    /// asks again; nothing was changed to be done twice or lost.
    /// </summary>
    private async Task<BotReply> ClaimedFirstAsync(string platform, string? updateId, Func<Task<BotReply>> handle, CancellationToken cancellationToken)
    {
        if (updateId is not null && !await updates.TryMarkProcessedAsync(platform, updateId, cancellationToken))
            return BotReply.None;
        return await handle();
    }

    private async Task<BotReply> PressedAsync(ButtonPress press, CancellationToken cancellationToken)
    {
        var button = await buttons.FindAsync(press.Token, cancellationToken);
        if (button is null)
        {
            await releases.AppendAsync(new AuditEvent(null, "", press.User.Id, "refused", null, null, "unknown button token", clock.GetUtcNow()), cancellationToken);
            return new BotReply("This button is not known (it may belong to another bot or an old card).", IsRefusal: true);
        }
        return Reply(button.Action switch
        {
            CardAction.Approve => await approvals.DecideAsync(button.ReleaseId, button.Token, press.User, approve: true, cancellationToken),
            CardAction.Reject => await approvals.DecideAsync(button.ReleaseId, button.Token, press.User, approve: false, cancellationToken),
            CardAction.Cancel => ReleaseRules.MayPress(button, clock.GetUtcNow()) is { } stale
                ? Decision.No(stale)
                : await stops.CancelAsync(button.ReleaseId, press.User, cancellationToken),
            CardAction.Rollback => await confirmations.AskAsync(button, press.User, press.Channel, cancellationToken),
            _ => await confirmations.ConfirmAsync(button, press.User, press.Channel, cancellationToken),
        });
    }

    private async Task<BotReply> ExecuteAsync(ChatCommand command, ChatUser user, ChatChannel channel, ChatPlace? place, CancellationToken cancellationToken) => command switch
    {
        ReleaseCommand { DryRun: true } release => rules.MayRelease(user) is { } refusal
            ? new BotReply(refusal, IsRefusal: true)
            : new BotReply(await dryRun.PlanAsync(release.Environment, release.Tag.Value, cancellationToken)),
        ReleaseCommand release => Started(await starts.StartReleaseAsync(release.Environment, release.Tag.Value, user, channel, cancellationToken, release.SkipPromotion, place?.Private == true)),
        PromoteCommand promote => await PromoteAsync(promote, user, channel, place, cancellationToken),
        RollbackCommand { Check: true } check => new BotReply(await starts.CheckRollbackAsync(check.Environment, check.To?.Value, check.WithDatabase, user, cancellationToken)),
        RollbackCommand rollback => Reply(await confirmations.AskAsync(rollback, user, channel, cancellationToken)),
        ApproveCommand approve => Reply(await approvals.DecideAsync(approve.ReleaseId, null, user, approve: true, cancellationToken)),
        RejectCommand reject => Reply(await approvals.DecideAsync(reject.ReleaseId, null, user, approve: false, cancellationToken)),
        CancelCommand cancel => await CancelAsync(cancel, user, cancellationToken),
        ResumeCommand resume => Reply(await stops.ResumeAsync(resume.ReleaseId, user, cancellationToken)),
        StatusCommand { ReleaseId: { } id } => new BotReply(await status.TimelineAsync(id, cancellationToken)),
        StatusCommand s => new BotReply(await status.EnvironmentAsync(s.Environment, cancellationToken)),
        HistoryCommand { Stats: true } stats => new BotReply(await status.StatsAsync(stats.Environment, stats.Period, cancellationToken)),
        HistoryCommand history => new BotReply(await status.HistoryAsync(history.Environment, cancellationToken)),
        LockCommand @lock => Reply(await locks.LockAsync(@lock.Environment, @lock.Reason, @lock.For, user, cancellationToken)),
        UnlockCommand { Force: true } forced => Reply(await confirmations.AskAsync(forced, user, channel, cancellationToken)),
        UnlockCommand unlock => Reply(await locks.UnlockAsync(unlock.Environment, unlock.Force, user, cancellationToken)),
        PlanCommand => new BotReply(PlanText()),
        WhoAmICommand => new BotReply(WhoAmI(user, channel)),
        DoctorCommand => await DoctorAsync(user, cancellationToken),
        HelpCommand { Topic: { } topic } => new BotReply(CommandHelp.For(topic)),
        _ => new BotReply(CommandHelp.Text()),
    };

    /// <summary>/promote is /release to the environment that promotes from the source, under the same rule.</summary>
    private async Task<BotReply> PromoteAsync(PromoteCommand promote, ChatUser user, ChatChannel channel, ChatPlace? place, CancellationToken cancellationToken)
    {
        var route = rules.Route(promote.From, promote.To);
        if (route.Refusal is { } refusal)
            return new BotReply(refusal, IsRefusal: true);
        return Started(await starts.StartReleaseAsync(route.To!, promote.Tag.Value, user, channel, cancellationToken, promote.SkipPromotion, place?.Private == true));
    }

    /// <summary>/cancel without an id cancels what runs in the default environment.</summary>
    private async Task<BotReply> CancelAsync(CancelCommand command, ChatUser user, CancellationToken cancellationToken)
    {
        if (command.ReleaseId is { } id)
            return Reply(await stops.CancelAsync(id, user, cancellationToken));
        var active = await releases.ListAsync(settings.DefaultEnvironment, activeOnly: true, limit: 1, cancellationToken);
        return active.Count == 0
            ? new BotReply($"Nothing is running in {settings.DefaultEnvironment}.", IsRefusal: true)
            : Reply(await stops.CancelAsync(active[0].Id, user, cancellationToken));
    }

    private async Task<BotReply> DoctorAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (rules.MayRunDoctor(user) is { } refusal)
            return new BotReply(refusal, IsRefusal: true);
        if (doctor is null)
            return new BotReply("This bot has no doctor configured.", IsRefusal: true);
        return new BotReply(DoctorCheck.Report(await doctor.CheckAsync(cancellationToken)));
    }

    private static bool IsRead(ChatCommand? command) => command is StatusCommand or HistoryCommand or PlanCommand or ReleaseCommand { DryRun: true };

    // Commands whose answer is all they do: nothing is written, so there is nothing for a redelivery to repeat.
    private static bool ChangesNothing(ChatCommand? command) =>
        IsRead(command) || command is WhoAmICommand or HelpCommand or DoctorCommand or RollbackCommand { Check: true };

    private static BotReply Reply(Decision decision) => new(decision.Message, !decision.Accepted);

    private static BotReply Started(StartResult started) => started.Release is { } release
        ? new BotReply($"Release #{release.Id} of {release.Tag} to {release.Environment} started{Promoted(release)}. /cancel {release.Id} stops it before migrations.")
        : new BotReply(started.Refusal!, IsRefusal: true);

    private static string Promoted(Release release) => release.Outputs.Promotion switch
    {
        { SkippedBy: { } by } p => $" without the promotion rule (skipped by {by}: {p.SkipReason})",
        { SourceReleaseId: { } id } p => $", promoted from {p.From} release #{id} with the same images",
        _ => "",
    };

    /// <summary>Who the person is and what they may do; the console's /as answers with the same words.</summary>
    public string WhoAmI(ChatUser user, ChatChannel channel)
    {
        var roles = rules.RolesOf(user);
        var name = people.Find(user) is { } person ? $"{person.Name}{(person.Handle is { } h ? $" (@{h})" : "")}, id " : "";
        return $"You are {name}{user}. Roles: {(roles.Count == 0 ? $"none (an admin adds \"{user}\" to ChatOps:Access:Releasers or :Approvers)" : string.Join(", ", roles))}.\n"
            + $"This chat is {channel.Platform} {channel.Id}.{AllowHint(channel)}";
    }

    // Where the platform has an allow-list of chats, say the exact setting that lets this chat in.
    private static string AllowHint(ChatChannel channel) => channel.Platform switch
    {
        // A forum topic is "chat/topic"; the allow list names the chat.
        "telegram" => $" To allow it, add {channel.Id.Split('/')[0]} to Telegram:AllowedChatIds (e.g. Telegram__AllowedChatIds__0={channel.Id.Split('/')[0]}).",
        "slack" => $" To allow it, add {channel.Id} to Slack:AllowedChannelIds (empty allows every channel the app is in).",
        _ => "",
    };

    private string PlanText() =>
        EnvironmentsText.Describe(settings) + "\n\n"
        + Runbook.Describe()
        + "\n\nRelease workflow (Mermaid):\n```mermaid\n" + ReleaseWorkflow.ToMermaid(ReleaseKind.Release).Trim() + "\n```"
        + "\n\nRollback workflow (Mermaid):\n```mermaid\n" + ReleaseWorkflow.ToMermaid(ReleaseKind.Rollback).Trim() + "\n```";
}
