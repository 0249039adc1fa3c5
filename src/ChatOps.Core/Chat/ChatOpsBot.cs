using ChatOps.Core.Access;
using ChatOps.Core.Commands;
using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Runner;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Chat;

/// <summary>
/// The command router: parses what people type or press, checks who may do it, and hands the work
/// to the runner. Every platform adapter calls this, so the grammar and the rules are the same everywhere.
/// </summary>
public sealed partial class ChatOpsBot(
    ChatOpsSettings settings,
    ReleaseRunner runner,
    IReleaseStore releases,
    IApprovalStore approvals,
    IEnvironmentStore environments,
    IUpdateLog updates,
    StatusReporter status,
    DryRunPlanner dryRun,
    TimeProvider clock)
{
    private readonly CommandParser _parser = new(settings.TagPattern, settings.BotName, settings.DefaultEnvironment, settings.Environments.Keys);
    private readonly AccessPolicy _access = new(settings.Access);

    public CommandParser Parser => _parser;

    public async Task<BotReply> HandleAsync(IncomingMessage message, CancellationToken cancellationToken)
    {
        var parsed = _parser.Parse(message.Text);
        if (parsed.IsIgnored)
            return BotReply.None;
        return await OncePerUpdateAsync(message.User.Platform, message.UpdateId, async () => parsed.Error is { } error
            ? new BotReply(error, IsRefusal: true)
            : await ExecuteAsync(parsed.Command!, message.User, message.Channel, cancellationToken), cancellationToken);
    }

    public Task<BotReply> PressAsync(ButtonPress press, CancellationToken cancellationToken) =>
        OncePerUpdateAsync(press.User.Platform, press.UpdateId, () => DecideAsync(press, cancellationToken), cancellationToken);

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

    private async Task<BotReply> DecideAsync(ButtonPress press, CancellationToken cancellationToken)
    {
        var token = await approvals.FindAsync(press.Token, cancellationToken);
        if (token is null)
        {
            await releases.AppendAsync(new AuditEvent(null, "", press.User.Id, "refused", null, null, "unknown button token", clock.GetUtcNow()), cancellationToken);
            return new BotReply("This button is not known (it may belong to another bot or an old card).", IsRefusal: true);
        }
        var decision = token.Action switch
        {
            CardAction.Approve => await runner.DecideAsync(token.ReleaseId, token.Token, press.User, approve: true, cancellationToken),
            CardAction.Reject => await runner.DecideAsync(token.ReleaseId, token.Token, press.User, approve: false, cancellationToken),
            CardAction.Cancel => await CancelByButtonAsync(token, press.User, cancellationToken),
            _ => await RollbackByButtonAsync(token, press, cancellationToken),
        };
        return new BotReply(decision.Message, !decision.Accepted);
    }

    private async Task<Decision> CancelByButtonAsync(ActionToken token, ChatUser user, CancellationToken cancellationToken) =>
        token.IsOpen(clock.GetUtcNow())
            ? await runner.CancelAsync(token.ReleaseId, user, cancellationToken)
            : Decision.No("This Cancel button is no longer valid: the release is past the point of no return or has ended.");

    private async Task<Decision> RollbackByButtonAsync(ActionToken token, ButtonPress press, CancellationToken cancellationToken)
    {
        if (!token.IsOpen(clock.GetUtcNow()))
            return Decision.No("This Roll back button is no longer valid: a rollback was already started or it expired.");
        if (_access.CanRelease(press.User) is { } refusal)
            return Decision.No(refusal);
        var failed = await releases.GetAsync(token.ReleaseId, cancellationToken);
        if (failed is null)
            return Decision.No($"There is no release #{token.ReleaseId}.");
        var started = await runner.StartRollbackAsync(failed, null, null, false, press.User, failed.Channel ?? press.Channel, cancellationToken);
        return started.Release is { } rollback
            ? Decision.Yes($"Rollback #{rollback.Id} of {failed.Environment} to {rollback.Tag} started by {press.User}.")
            : Decision.No(started.Refusal!);
    }

    private async Task<BotReply> ExecuteAsync(ChatCommand command, ChatUser user, ChatChannel channel, CancellationToken cancellationToken)
    {
        return command switch
        {
            ReleaseCommand release => await ReleaseAsync(release, user, channel, cancellationToken),
            RollbackCommand rollback => await RollbackAsync(rollback, user, channel, cancellationToken),
            ApproveCommand approve => Reply(await runner.DecideAsync(approve.ReleaseId, null, user, approve: true, cancellationToken)),
            RejectCommand reject => Reply(await runner.DecideAsync(reject.ReleaseId, null, user, approve: false, cancellationToken)),
            CancelCommand cancel => await CancelAsync(cancel, user, cancellationToken),
            ResumeCommand resume => Reply(await runner.ResumeAsync(resume.ReleaseId, user, cancellationToken)),
            StatusCommand { ReleaseId: { } id } => new BotReply(await status.TimelineAsync(id, cancellationToken)),
            StatusCommand s => new BotReply(await status.EnvironmentAsync(s.Environment, cancellationToken)),
            HistoryCommand history => new BotReply(await status.HistoryAsync(history.Environment, cancellationToken)),
            LockCommand @lock => await LockAsync(@lock, user, cancellationToken),
            UnlockCommand unlock => await UnlockAsync(unlock, user, cancellationToken),
            PlanCommand => new BotReply(PlanText()),
            WhoAmICommand => new BotReply(WhoAmI(user)),
            _ => new BotReply(CommandHelp.Text()),
        };
    }

    private static BotReply Reply(Decision decision) => new(decision.Message, !decision.Accepted);

    private string WhoAmI(ChatUser user)
    {
        var roles = _access.RolesOf(user);
        return $"You are {user}. Roles: {(roles.Count == 0 ? "none (ask an admin to add you to ChatOps:Access)" : string.Join(", ", roles))}.";
    }

    private static string PlanText() =>
        "Release workflow (Mermaid):\n" + Releases.ReleaseWorkflow.ToMermaid(Releases.ReleaseKind.Release)
        + "\n\nRollback workflow (Mermaid):\n" + Releases.ReleaseWorkflow.ToMermaid(Releases.ReleaseKind.Rollback);
}
