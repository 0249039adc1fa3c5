using ChatOps.Core.Commands;
using ChatOps.Core.Settings;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Incidents;

public static class IncidentEndpoints
{
    public const string Path = "/webhooks/incidents/{environment}";

    // Larger than any incident event; a bigger body is not read.
    private const int MaxBody = 256 * 1024;

    public static IServiceCollection AddIncidentWebhook(this IServiceCollection services)
    {
        services.AddOptions<IncidentWebhookOptions>().BindConfiguration(IncidentWebhookOptions.Section);
        return services;
    }

    /// <summary>
    /// <c>POST /webhooks/incidents/&lt;env&gt;</c>: a call without the secret gets 401 and does nothing; an unknown
    /// environment 404; an event it does not act on 200. An incident opened or resolved is answered 200 with what the
    /// bot did; a store that fails gets 503, so the tool delivers the event again (opening and resolving are idempotent).
    /// </summary>
    public static void MapIncidents(this WebApplication app) =>
        app.MapPost(Path, async (string environment, HttpRequest request, IOptions<IncidentWebhookOptions> options, ChatOpsSettings settings,
            IncidentCommands incidents, TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<IncidentWebhookOptions> log) =>
        {
            var secret = options.Value.Secret;
            if (secret.Length == 0)
                return Results.NotFound();
            if (request.ContentLength > MaxBody)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
            var body = buffer.ToArray();
            if (!IncidentWebhookSignature.IsValid(secret, request.Headers, body, clock.GetUtcNow()))
            {
                log.LogWarning("Refused a call to the incident webhook of {Environment} without a valid signature or secret", environment);
                return Results.Unauthorized();
            }
            if (settings.Environments.Keys.FirstOrDefault(e => string.Equals(e, environment, StringComparison.OrdinalIgnoreCase)) is not { } env)
                return Results.NotFound(new { error = $"Unknown environment '{environment}'." });
            var incident = IncidentEvent.Read(body);
            try
            {
                // Not the request's token: the tool hanging up must not leave an incident half written.
                var done = incident.Change switch
                {
                    IncidentChange.Opened => (await incidents.OpenAsync(env, incident.Title, incident.Link, incident.Source, incident.Source, incident.ExternalId,
                        lifetime.ApplicationStopping)).Message,
                    IncidentChange.Resolved => (await incidents.ResolveAsync(env, incident.Source, incident.ExternalId, lifetime.ApplicationStopping)).Message,
                    _ => "Nothing to do for this event.",
                };
                log.LogInformation("Incident webhook of {Environment} from {Source}: {Outcome}", env, incident.Source, done);
                return Results.Ok(new { result = done });
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The incident webhook of {Environment} could not record the event from {Source}", env, incident.Source);
                return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
            }
        });
}
