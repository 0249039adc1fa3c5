using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

// What the simulated Slack holds, as snapshots a test can read without locks.

// Blocks are kept as JSON text and parsed on every read: a parsed JsonNode fills itself in lazily, which is not
// safe to do from the test's thread and the simulator's at once.
public sealed record SlackSimMessage(string Channel, string Ts, string Text, string BlocksJson, string? ThreadTs, IReadOnlyList<string> Versions)
{
    public int UpdateCount => Versions.Count - 1;

    /// <summary>The users the message notifies: every <c>&lt;@U…&gt;</c> in its text, as Slack reads them.</summary>
    public IReadOnlyList<string> Mentions =>
        [.. System.Text.RegularExpressions.Regex.Matches(Text, "<@([A-Z0-9]+)(\\|[^>]*)?>").Select(m => m.Groups[1].Value).Distinct()];

    public JsonArray Blocks => JsonNode.Parse(BlocksJson) as JsonArray ?? [];

    // The fallback text and every text in the blocks, as someone reading the channel sees them.
    public string AllText => string.Join('\n', new[] { Text }.Concat(BlockTexts));

    // The mrkdwn of every section and context block, each as sent (Block Kit allows 3000 characters each).
    public IReadOnlyList<string> BlockTexts => [.. Blocks.SelectMany(TextsOf)];

    public IReadOnlyList<SlackSimButton> Buttons =>
        [.. Blocks.OfType<JsonObject>().Where(b => (string?)b["type"] == "actions")
            .SelectMany(b => (b["elements"] as JsonArray ?? []).OfType<JsonObject>()
                .Where(e => (string?)e["type"] == "button")
                .Select(e => new SlackSimButton((string?)b["block_id"] ?? "", (string?)e["action_id"] ?? "", (string?)e["text"]?["text"] ?? "",
                    (string?)e["value"] ?? "", (string?)e["style"], e["confirm"] is JsonObject)))];

    private static IEnumerable<string> TextsOf(JsonNode? block) =>
        block is not JsonObject b ? []
        : b["text"]?["text"] is JsonValue text ? [(string)text!]
        : (b["elements"] as JsonArray ?? []).Select(e => e?["text"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : null).OfType<string>();
}

public sealed record SlackSimButton(string BlockId, string ActionId, string Text, string Value, string? Style, bool HasConfirm);

public sealed record SlackApiCall(string Method, JsonObject Body, TimeSpan At, int Status, string? Error);

// A post the bot made to a response_url the simulator handed out with a command or a click.
public sealed record SlackHookPost(string HookId, JsonObject Body, TimeSpan At)
{
    public string Text => (string?)Body["text"] ?? "";

    public bool IsEphemeral => (string?)Body["response_type"] != "in_channel";
}

// What Slack got back for one delivery: the HTTP status and body, or the Socket Mode ack and its payload (status 0:
// never acknowledged). At is when the answer came, on the clock of Calls and HookPosts, for ordering checks.
public sealed record SlackDelivery(int Status, JsonNode? Ack, string? HookId, TimeSpan Elapsed, TimeSpan At, string? EventId = null)
{
    public string AckText => Ack is JsonObject o ? (string?)o["text"] ?? "" : Ack?.ToString() ?? "";
}

// Ways to get a signature wrong, for the tests of the bot's verifier.
public sealed record SigningTweak(string? Secret = null, TimeSpan? Age = null, bool Unsigned = false, Func<string, string>? ChangeBody = null);

internal sealed record SlackSimUser(string Id, string RealName, string DisplayName);

internal sealed record SlackFault(string Error, int Status, int? RetryAfter);
