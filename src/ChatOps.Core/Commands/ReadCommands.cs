using ChatOps.Core.Domain;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Commands;

/// <summary>The commands whose answer is all they do: status, history, plans, a dry run, a rollback's check, who am I, the doctor, help.</summary>
public sealed class ReadCommands(
    ChatOpsSettings settings,
    AccessRules access,
    StatusReporter status,
    DryRunPlanner dryRun,
    RollbackCommands rollbacks,
    People people,
    IDoctor? doctor = null) : ICommandHandler
{
    public bool Handles(ChatCommand command) => command is ReleaseCommand { DryRun: true } or RollbackCommand { Check: true } or StatusCommand or HistoryCommand
        or PlanCommand or WhoAmICommand or DoctorCommand or HelpCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken) => command switch
    {
        ReleaseCommand release => access.MayRelease(sender.User) is { } refusal
            ? new BotReply(refusal, IsRefusal: true)
            : new BotReply(await dryRun.PlanAsync(release.Environment, release.Tag.Value, cancellationToken)),
        RollbackCommand check => new BotReply(await rollbacks.CheckRollbackAsync(check.Environment, check.To?.Value, check.WithDatabase, sender.User, cancellationToken)),
        StatusCommand { ReleaseId: { } id } => new BotReply(await status.TimelineAsync(id, cancellationToken)),
        StatusCommand s => new BotReply(await status.EnvironmentAsync(s.Environment, cancellationToken)),
        HistoryCommand { Stats: true } stats => new BotReply(await status.StatsAsync(stats.Environment, stats.Period, cancellationToken)),
        HistoryCommand history => new BotReply(await status.HistoryAsync(history.Environment, cancellationToken)),
        PlanCommand => new BotReply(PlanText()),
        WhoAmICommand => new BotReply(WhoAmI(sender.User, sender.Channel)),
        DoctorCommand => await DoctorAsync(sender.User, cancellationToken),
        HelpCommand { Topic: { } topic } => new BotReply(CommandHelp.For(topic)),
        _ => new BotReply(CommandHelp.Text()),
    };

    private async Task<BotReply> DoctorAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (access.MayRunDoctor(user) is { } refusal)
            return new BotReply(refusal, IsRefusal: true);
        if (doctor is null)
            return new BotReply("This bot has no doctor configured.", IsRefusal: true);
        return new BotReply(DoctorCheck.Report(await doctor.CheckAsync(cancellationToken)));
    }

    /// <summary>Who the person is and what they may do; the console's /as answers with the same words.</summary>
    public string WhoAmI(ChatUser user, ChatChannel channel)
    {
        var roles = access.RolesOf(user);
        var name = people.Find(user) is { } person ? $"{person.Name}{(person.Handle is { } h ? $" (@{h})" : "")}, id " : "";
        return $"You are {name}{user}. Roles: {(roles.Count == 0 ? $"none (an admin adds \"{user}\" to ChatOps:Access:Releasers or :Approvers)" : string.Join(", ", roles))}.\n"
            + $"This chat is {channel.Platform} {channel.Id}.{AllowHint(channel)}";
    }

    // Where the platform has an allow-list of chats, say the exact setting that lets this chat in.
    private static string AllowHint(ChatChannel channel) => channel.Platform switch
    {
        "telegram" => $" To allow it, add {channel.Id} to Telegram:AllowedChatIds (e.g. Telegram__AllowedChatIds__0={channel.Id}).",
        "slack" => $" To allow it, add {channel.Id} to Slack:AllowedChannelIds (empty allows every channel the app is in).",
        _ => "",
    };

    private string PlanText() =>
        EnvironmentsText.Describe(settings) + "\n\n"
        + Runbook.Describe()
        + "\n\nRelease workflow (Mermaid):\n```mermaid\n" + ReleaseWorkflow.ToMermaid(ReleaseKind.Release).Trim() + "\n```"
        + "\n\nRollback workflow (Mermaid):\n```mermaid\n" + ReleaseWorkflow.ToMermaid(ReleaseKind.Rollback).Trim() + "\n```";
}
