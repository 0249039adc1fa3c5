using ChatOps.Core.Domain;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>
/// /incident: opens, ends and shows an environment's incident, from chat or from the incident tool's webhook (the
/// host verifies the webhook, then calls <see cref="OpenAsync"/> and <see cref="ResolveAsync"/> as the tool).
/// </summary>
public sealed class IncidentCommands(LockRules rules, IIncidentStore incidents, IEnvironmentStore environments, IReleaseStore releases, People people, TimeProvider clock)
    : ICommandHandler
{
    public const string FromChat = "chat";

    public bool Handles(ChatCommand command) => command is IncidentCommand;

    public async Task<BotReply> HandleAsync(ChatCommand command, Sender sender, CancellationToken cancellationToken)
    {
        var incident = (IncidentCommand)command;
        if (incident.Action != IncidentAction.Show && rules.MayDeclareIncident(sender.User) is { } refusal)
            return new BotReply(refusal, IsRefusal: true);
        return BotReply.Of(incident.Action switch
        {
            IncidentAction.Open => await OpenAsync(incident.Environment, incident.Title!, null, sender.User.Id, FromChat, null, cancellationToken),
            IncidentAction.Resolve => await ResolveAsync(incident.Environment, sender.User.Id, null, cancellationToken),
            _ => Decision.Yes(await ShowAsync(incident.Environment, cancellationToken)),
        });
    }

    /// <param name="by">Who opens it: a chat user's id, or the tool (<c>pagerduty</c>, <c>incident.io</c>).</param>
    /// <param name="externalId">The tool's own id of the incident; null from chat.</param>
    public async Task<Decision> OpenAsync(string environment, string title, string? link, string by, string source, string? externalId, CancellationToken cancellationToken)
    {
        // Whole milliseconds, as the stores keep them, so the incident that comes back compares equal when it is ours.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(clock.GetUtcNow().ToUnixTimeMilliseconds());
        var requested = new Incident(0, environment, title, link, by, source, externalId, now);
        var open = await incidents.OpenAsync(requested, cancellationToken);
        if (open with { Id = 0 } != requested)
            return Decision.No($"{environment} already has an open {open.Describe()}, opened by {people.NameOf(open.OpenedBy)} at {ChatTime.Minute(open.OpenedAt)}. "
                + $"/incident resolved {environment} ends it.");
        await releases.AppendAsync(new AuditEvent(null, environment, by, "incident-opened", null, null, $"{open.Describe()} from {source}", now), cancellationToken);
        return Decision.Yes($"🚨 {open.Describe()} opened on {environment} by {people.NameOf(by)}. Releases to {environment} are refused until /incident resolved {environment}; "
            + "rollbacks run, and a fix goes out with /release <tag> --hotfix (an approver approves it).");
    }

    /// <param name="externalId">From the incident tool: only the incident it opened is ended (not one opened from chat meanwhile).</param>
    public async Task<Decision> ResolveAsync(string environment, string by, string? externalId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var open = (await environments.GetAsync(environment, cancellationToken)).Incident;
        if (open is null)
            return Decision.Yes($"{environment} has no open incident.");
        if (externalId is not null && open.ExternalId != externalId)
            return Decision.Yes($"{environment}'s open {open.Describe()} is not the one the incident tool resolved; it stays open.");
        if (await incidents.ResolveAsync(environment, by, now, cancellationToken) is not { } ended)
            return Decision.Yes($"{environment} has no open incident.");
        await releases.AppendAsync(new AuditEvent(null, environment, by, "incident-resolved", null, null, ended.Describe(), now), cancellationToken);
        return Decision.Yes($"✅ {ended.Describe()} on {environment} resolved by {people.NameOf(by)} after {PromotionRule.Words(now - ended.OpenedAt)}. Releases go out again.");
    }

    private async Task<string> ShowAsync(string environment, CancellationToken cancellationToken) =>
        (await environments.GetAsync(environment, cancellationToken)).Incident is { } open
            ? $"🚨 {environment}: {open.Describe()}, opened by {people.NameOf(open.OpenedBy)} at {ChatTime.Minute(open.OpenedAt)}. /incident resolved {environment} ends it."
            : $"{environment} has no open incident. /incident \"<title>\" {environment} opens one.";
}
