namespace ChatOps.Core.Commands;

public static class CommandHelp
{
    public static readonly IReadOnlyDictionary<string, string> Usage = new Dictionary<string, string>
    {
        ["release"] = "/release <tag> [env] [--dry-run] [--skip-promotion \"<reason>\"]",
        ["promote"] = "/promote <tag> [from] [to] [--skip-promotion \"<reason>\"]",
        ["rollback"] = "/rollback [env] [--to <tag>] [--with-db] [--check]",
        ["approve"] = "/approve <id>",
        ["reject"] = "/reject <id>",
        ["cancel"] = "/cancel [id]",
        ["resume"] = "/resume <id>",
        ["status"] = "/status [env|id]",
        ["history"] = "/history [env] | /history --stats [env] [30d]",
        ["lock"] = "/lock [env] <reason> [--for 2h]",
        ["unlock"] = "/unlock [env] [--force]",
        ["plan"] = "/plan",
        ["whoami"] = "/whoami",
        ["doctor"] = "/doctor",
        ["help"] = "/help",
    };

    public static readonly IReadOnlyDictionary<string, string> Descriptions = new Dictionary<string, string>
    {
        ["release"] = "start a release; --dry-run shows the plan and the checks, changes nothing; an environment with PromoteFrom takes only a tag released there (approvers may --skip-promotion with a reason)",
        ["promote"] = "release to an environment exactly the images its PromoteFrom environment released (defaults: the default environment, from its PromoteFrom)",
        ["rollback"] = "roll back to the last good release (or --to a tag released there); --with-db also restores the database; --check only says what it would do and whether it is safe; while a release runs, stops it at the next safe point and rolls back what moved",
        ["approve"] = "approve the waiting gate of a release",
        ["reject"] = "reject the waiting gate of a release",
        ["cancel"] = "cancel a release before its migrations start",
        ["resume"] = "continue a release that needs attention",
        ["status"] = "what runs now and what is deployed, or one release's timeline",
        ["history"] = "recent releases and rollbacks; --stats: deployment frequency, lead time, change failure rate and time to restore over a period",
        ["lock"] = "freeze deploys to an environment",
        ["unlock"] = "lift a deploy freeze",
        ["plan"] = "the release workflow as a diagram",
        ["whoami"] = "your chat identity and roles",
        ["doctor"] = "approvers: read-only checks of GitHub, Fly, the chats, the database and the store",
        ["help"] = "this list",
    };

    public static string Text() =>
        "Commands:\n" + string.Join('\n', Usage.Select(u => $"  {u.Value,-42} {Descriptions[u.Key]}"));
}
