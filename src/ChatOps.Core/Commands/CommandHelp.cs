namespace ChatOps.Core.Commands;

/// <summary>One command as /help tells it: how it is typed, what it does, and examples with what each one does.</summary>
public sealed record CommandEntry(string Name, string Usage, string Description, IReadOnlyList<CommandExample> Examples);

public sealed record CommandExample(string Typed, string Does);

/// <summary>
/// The one table of commands: the parser quotes its usages in refusals, /help lists it and explains each entry,
/// Telegram's command menu and Slack's slash commands are built from it.
/// </summary>
public static class CommandHelp
{
    public static readonly IReadOnlyList<CommandEntry> Commands =
    [
        new("release", "/release <tag> [env] [--dry-run] [--hotfix] [--skip-promotion \"<reason>\"] [--override-freeze \"<reason>\"]",
            "start a release; --dry-run shows the plan; PromoteFrom takes only a tag released there; a freeze window or an open incident refuses it (--hotfix: an incident's fix, approved by an approver; approvers may --skip-promotion, --override-freeze)",
            [
                new("/release v0.2.0", "releases v0.2.0 to the default environment; the card shows each step and the approval gate"),
                new("/release v0.2.0 staging", "releases it to staging"),
                new("/release v0.2.0 --dry-run", "shows the migrations, the checks and the plan; changes nothing"),
                new("/release v0.2.0 --skip-promotion \"hotfix for the payments outage\"", "an approver releases without the promotion rule; the reason is on the card and in the audit trail"),
                new("/release v0.2.0 --override-freeze \"fix for the checkout outage\"", "an approver releases inside a freeze window; the reason is on the card and in the audit trail"),
                new("/release v0.2.1 --hotfix", "releases the fix of the open incident; it waits for an approver's approval even with nothing to migrate"),
            ]),
        new("promote", "/promote <tag> [from] [to] [--skip-promotion \"<reason>\"]",
            "release to an environment exactly the images its PromoteFrom environment released (defaults: the default environment, from its PromoteFrom)",
            [
                new("/promote v0.2.0", "releases to the default environment the images its PromoteFrom environment released as v0.2.0"),
                new("/promote v0.2.0 staging production", "names both environments"),
            ]),
        new("rollback", "/rollback [env] [--to <tag>] [--with-db] [--check]",
            "roll back to the last good release (or --to a tag released there); --with-db also restores the database; --check only says what it would do and whether it is safe; while a release runs, stops it at the next safe point; asks for a second press",
            [
                new("/rollback --check", "says what a rollback of the default environment would go back to and whether it is safe; changes nothing, asks nothing"),
                new("/rollback", "asks for a second press on \"Yes, roll back production\" within a minute; that press puts back the images of the last good release"),
                new("/rollback staging --to v0.1.0", "goes back to v0.1.0, which must have been released to staging before"),
                new("/rollback --with-db", "also restores the database from the failed release's backup, after an approver's approval"),
            ]),
        new("approve", "/approve <id> [--override-freeze \"<reason>\"]", "approve the waiting gate of a release; inside a freeze window only with --override-freeze",
            [
                new("/approve 12", "approves release #12's migrations (or a rollback's database restore); not by its requester"),
                new("/approve 12 --override-freeze \"launch fix, agreed with support\"", "approves it although a freeze window opened while it waited"),
            ]),
        new("reject", "/reject <id>", "reject the waiting gate of a release",
            [new("/reject 12", "rejects release #12's gate; the release is cancelled and nothing is deployed")]),
        new("cancel", "/cancel [id]", "cancel a release before its migrations start",
            [
                new("/cancel 12", "cancels release #12 if it has not started migrating"),
                new("/cancel", "cancels what runs in the default environment"),
            ]),
        new("resume", "/resume <id>", "continue a release that needs attention",
            [new("/resume 12", "runs release #12 again from the step that stopped, once you have checked why it stopped")]),
        new("bake", "/bake <id> --skip \"<reason>\" | --faulty \"<reason>\"",
            "end a release's bake early: --skip (approvers) releases it now, --faulty (releasers and approvers) fails it and rolls back where AutoRollback is on; audited, on the card",
            [
                new("/bake 12 --skip \"hotfix, watched by hand\"", "an approver ends release #12's bake: it is Released now, the reason on the card"),
                new("/bake 12 --faulty \"checkout errors on the dashboard\"", "fails release #12's bake as faulty, as the card's Mark faulty button does"),
            ]),
        new("status", "/status [env|id]", "what runs now and what is deployed, or one release's timeline",
            [
                new("/status", "what runs in the default environment, the image of each service, the last migration and any lock"),
                new("/status staging", "the same for staging"),
                new("/status 12", "release #12's timeline: who did what, when"),
            ]),
        new("history", "/history [env] | /history --stats [env] [30d]",
            "recent releases and rollbacks; --stats: deployment frequency, lead time, change failure rate and time to restore over a period",
            [
                new("/history", "the last releases, rollbacks, locks and unlocks of the default environment"),
                new("/history --stats production 90d", "the four delivery figures of production over 90 days"),
            ]),
        new("lock", "/lock [env] <reason> [--for 2h]", "freeze deploys to an environment",
            [
                new("/lock incident on payments --for 2h", "refuses releases to the default environment for two hours; rollbacks still run"),
                new("/lock staging load test", "freezes staging until /unlock staging"),
            ]),
        new("incident", "/incident \"<title>\" [env] | /incident resolved [env] | /incident [env]",
            "open or end an incident: while one is open, releases are refused but rollbacks and --hotfix releases; the incident tool's webhook does the same",
            [
                new("/incident \"checkout returns 500\"", "opens an incident on the default environment; /status shows it, /release is refused"),
                new("/incident resolved", "ends it; releases go out again"),
                new("/incident staging", "shows the open incident of staging, if any"),
            ]),
        new("unlock", "/unlock [env] [--force]",
            "lift a deploy freeze; --force lets an approver lift someone else's, after a second press",
            [
                new("/unlock", "lifts your own lock on the default environment"),
                new("/unlock staging --force", "an approver asks to lift another person's lock; a press on \"Yes, force unlock staging\" within a minute lifts it"),
            ]),
        new("plan", "/plan", "the environments this bot releases to, then the release workflow in words (steps, gate, point of no return) and as a diagram",
            [new("/plan", "each environment's services and rules, the runbook's steps in order, where the gate is, and the Mermaid source")]),
        new("whoami", "/whoami", "your chat identity and roles, and this chat's id",
            [new("/whoami", "your name, your id (as the role lists want it), your roles, and how to allow this chat")]),
        new("doctor", "/doctor", "approvers: read-only checks of GitHub, Fly, the chats, the database and the store",
            [new("/doctor", "asks every outside system whether the bot can reach it with its credentials; changes nothing")]),
        new("help", "/help [command]", "this list, or one command's usage with examples",
            [
                new("/help", "lists the commands"),
                new("/help rollback", "shows how /rollback is typed, with examples"),
            ]),
    ];

    private static readonly Dictionary<string, CommandEntry> ByName = Commands.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    public static readonly IReadOnlyDictionary<string, string> Usage = Commands.ToDictionary(c => c.Name, c => c.Usage);

    public static readonly IReadOnlyDictionary<string, string> Descriptions = Commands.ToDictionary(c => c.Name, c => c.Description);

    public static bool IsCommand(string name) => ByName.ContainsKey(name);

    public static string Text() =>
        "Commands:\n" + string.Join('\n', Commands.Select(c => $"  {c.Usage,-42} {c.Description}"))
        + "\n/help <command> shows one command with examples, e.g. /help rollback.";

    /// <summary>One command's usage and examples; the name is one <see cref="IsCommand"/> knows.</summary>
    public static string For(string name)
    {
        var entry = ByName[name];
        var width = entry.Examples.Max(e => e.Typed.Length);
        return $"Usage: {entry.Usage}\n{Capitalised(entry.Description)}.\nExamples:\n"
            + string.Join('\n', entry.Examples.Select(e => $"  {e.Typed.PadRight(width)}  {e.Does}"));
    }

    public static string Unknown(string name) =>
        $"There is no command /{name}. The commands are {string.Join(", ", Commands.Select(c => "/" + c.Name))}; /help lists what each does.";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
