using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOps.Host.Slack;

// Slack payloads are read as JsonNode: they grow new fields all the time, and only a few are needed.
internal static class SlackJson
{
    public static string? Text(this JsonNode? node, params string[] path)
    {
        foreach (var name in path)
            node = node is JsonObject o ? o[name] : null;
        return node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
    }

    public static bool Flag(this JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue value && value.TryGetValue<bool>(out var flag) && flag;

    public static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
