using System.Text.Json.Nodes;
using ChatOps.Core.Ports;

namespace ChatOps.Host.Fly;

// Reads what the bot needs from a Machine object: state, image and whether its health checks pass.
internal static class FlyMachineJson
{
    public static MachineStatus Status(JsonObject machine) =>
        new(Text(machine["id"]) ?? "", Text(machine["state"]) ?? "unknown", Image(machine), Healthy(machine), Digest(machine));

    // The digest flyd resolved the image to; empty or absent on machines that never reported one.
    public static string? Digest(JsonObject machine) => Text(machine["image_ref"]?["digest"]) is { Length: > 0 } d ? d : null;

    public static string Image(JsonObject machine) => Text(machine["config"]?["image"]) ?? "";

    public static string? InstanceId(JsonObject machine) => Text(machine["instance_id"]) ?? Text(machine["version"]);

    // Right after a start the check list is empty, which is not "passing": wait for results, unless the config
    // has no checks at all (then there is nothing to wait for, as flyctl does).
    public static bool Healthy(JsonObject machine)
    {
        var results = Checks(machine);
        return results.Count > 0
            ? results.All(c => c.Status == "passing")
            : ConfiguredChecks(machine["config"] as JsonObject) == 0;
    }

    public static string FailingChecks(JsonObject machine)
    {
        var results = Checks(machine);
        if (results.Count == 0)
        {
            return "no check results yet";
        }

        var failing = results.Where(c => c.Status != "passing").Select(c => $"{c.Name} {c.Status}: {Short(c.Output)}").ToList();
        return failing.Count == 0 ? "all checks passing" : string.Join("; ", failing);
    }

    // Newer API versions add fake `bg_deployments_compat*` checks; fly-go drops them and so do we.
    private static List<(string Name, string Status, string Output)> Checks(JsonObject machine) =>
        [.. (machine["checks"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(c => (Name: Text(c["name"]) ?? "", Status: Text(c["status"]) ?? "", Output: Text(c["output"]) ?? ""))
            .Where(c => !c.Name.StartsWith("bg_deployments_compat", StringComparison.Ordinal))];

    private static int ConfiguredChecks(JsonObject? config)
    {
        if (config is null)
        {
            return 0;
        }

        var topLevel = (config["checks"] as JsonObject)?.Count ?? 0;
        var services = (config["services"] as JsonArray ?? []).OfType<JsonObject>().Sum(s => (s["checks"] as JsonArray)?.Count ?? 0);
        return topLevel + services;
    }

    private static string Short(string text) => text.Length <= 120 ? text : text[..120] + "…";

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;
}
