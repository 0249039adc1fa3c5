namespace ChatOps.Host.Incidents;

/// <summary>The incoming incident webhook (<c>POST /webhooks/incidents/&lt;env&gt;</c>): off while <see cref="Secret"/> is empty.</summary>
public sealed class IncidentWebhookOptions
{
    public const string Section = "Incidents";

    /// <summary>
    /// The shared secret: PagerDuty's V3 webhook signing secret, incident.io's (<c>whsec_…</c>), or any long random
    /// string sent as <c>Authorization: Bearer</c> by a tool that cannot sign.
    /// </summary>
    public string Secret { get; set; } = "";
}
