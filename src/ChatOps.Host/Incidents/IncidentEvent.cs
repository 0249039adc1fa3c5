using System.Text.Json;

namespace ChatOps.Host.Incidents;

public enum IncidentChange
{
    Ignored,
    Opened,
    Resolved,
}

/// <summary>
/// What an incident tool's webhook body says, read from the few fields docs/incident-webhooks.md names: PagerDuty V3
/// (<c>event.event_type</c>, <c>event.data</c>) and incident.io (<c>event_type</c>, the incident under that name).
/// Anything else is <see cref="IncidentChange.Ignored"/>, never an error.
/// </summary>
public sealed record IncidentEvent(IncidentChange Change, string Source, string? ExternalId, string Title, string? Link)
{
    public const string PagerDuty = "pagerduty";
    public const string IncidentIo = "incident.io";

    private static readonly IncidentEvent Nothing = new(IncidentChange.Ignored, "", null, "", null);

    public static IncidentEvent Read(byte[] body)
    {
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return Nothing;
            if (root.TryGetProperty("event", out var pd) && pd.ValueKind == JsonValueKind.Object)
                return FromPagerDuty(pd);
            return Text(root, "event_type") is { } type ? FromIncidentIo(root, type) : Nothing;
        }
        catch (JsonException)
        {
            return Nothing;
        }
    }

    private static IncidentEvent FromPagerDuty(JsonElement e)
    {
        if (!e.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Object)
            return Nothing;
        var change = Text(e, "event_type") switch
        {
            "incident.triggered" => IncidentChange.Opened,
            "incident.resolved" => IncidentChange.Resolved,
            _ => IncidentChange.Ignored,
        };
        return new(change, PagerDuty, Text(data, "id"), Titled(Text(data, "title")), Text(data, "html_url"));
    }

    // incident.io names its events public_incident.incident_created_v2 / …_updated_v2 and puts the incident under that
    // name; the shorter incident.created / incident.updated (incident under "incident") are read alike.
    private static IncidentEvent FromIncidentIo(JsonElement root, string type)
    {
        var created = type is "incident.created" || type.EndsWith("incident_created_v2", StringComparison.Ordinal);
        var updated = type is "incident.updated" || type.EndsWith("incident_updated_v2", StringComparison.Ordinal);
        if (!created && !updated)
            return Nothing;
        if (!root.TryGetProperty(type, out var incident) && !root.TryGetProperty("incident", out incident) || incident.ValueKind != JsonValueKind.Object)
            return Nothing;
        var closed = IsClosed(incident);
        var change = closed && updated ? IncidentChange.Resolved : created && !closed ? IncidentChange.Opened : IncidentChange.Ignored;
        var reference = Text(incident, "reference");
        var name = Titled(Text(incident, "name"));
        return new(change, IncidentIo, Text(incident, "id"), reference is null ? name : $"{reference} {name}", Text(incident, "permalink"));
    }

    private static bool IsClosed(JsonElement incident)
    {
        string? category = null, name = null;
        if (incident.TryGetProperty("incident_status", out var status) && status.ValueKind == JsonValueKind.Object)
            (category, name) = (Text(status, "category"), Text(status, "name"));
        else
            category = Text(incident, "status");
        return category is "closed" or "resolved" || name is "Closed" or "Resolved";
    }

    private static string Titled(string? title) => title is { Length: > 0 } t ? (t.Length <= 200 ? t : t[..199] + "…") : "(untitled incident)";

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
