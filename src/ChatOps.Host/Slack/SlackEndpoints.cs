using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

public static class SlackEndpoints
{
    public const string RetryHeader = "X-Slack-Retry-Num";

    // Slack's payloads are a few kilobytes; a click carries the card's blocks, still far below this.
    private const int MaxBody = 1 << 20;

    /// <summary>
    /// <c>POST /slack/commands</c>, <c>/slack/interactions</c>, <c>/slack/events</c>: a request without a valid v0
    /// signature inside the 5-minute window, or from another workspace than the bot's (<see cref="SlackWorkspace"/>),
    /// gets 401 and changes nothing; a valid one is acknowledged at once and
    /// handled in the background. Off (404) without <c>Slack:SigningSecret</c>, as in Socket Mode only.
    /// </summary>
    public static void MapSlack(this WebApplication app)
    {
        // Asks whether Slack is registered without building it: that would resolve the whole bot before start-up.
        if (app.Services.GetService<IServiceProviderIsService>()?.IsService(typeof(SlackInbox)) != true)
            return;
        var slack = app.MapGroup("/slack");
        slack.MapPost("/commands", (HttpRequest request, SlackInbox inbox, SlackWorkspace workspace, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackInbox> log) =>
            VerifiedAsync(request, options.Value, clock, log, async body =>
            {
                var form = new JsonObject();
                foreach (var (key, value) in QueryHelpers.ParseQuery(body))
                    form[key] = value.ToString();
                if (!await workspace.AdmitsAsync("command", form, request.HttpContext.RequestAborted))
                    return Results.Unauthorized();
                return Results.Json(inbox.OnCommand(form).ToJson());
            }));
        slack.MapPost("/interactions", (HttpRequest request, SlackInbox inbox, SlackWorkspace workspace, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackInbox> log) =>
            VerifiedAsync(request, options.Value, clock, log, async body =>
            {
                if (!QueryHelpers.ParseQuery(body).TryGetValue("payload", out var payload) || SlackJson.ParseObject(payload.ToString()) is not { } json)
                    return Results.BadRequest();
                if (!await workspace.AdmitsAsync("click", json, request.HttpContext.RequestAborted))
                    return Results.Unauthorized();
                inbox.OnInteraction(json);
                return Results.Ok();
            }));
        slack.MapPost("/events", (HttpRequest request, SlackInbox inbox, SlackWorkspace workspace, IOptions<SlackOptions> options, TimeProvider clock, ILogger<SlackInbox> log) =>
            VerifiedAsync(request, options.Value, clock, log, async body =>
            {
                if (SlackJson.ParseObject(body) is not { } json)
                    return Results.BadRequest();
                // Slack's handshake when the events URL is set carries no workspace; the signature is enough for it.
                if (json.Text("type") == "url_verification")
                    return Results.Json(new { challenge = json.Text("challenge") ?? "" });
                if (!await workspace.AdmitsAsync("event", json, request.HttpContext.RequestAborted))
                    return Results.Unauthorized();
                if (request.Headers[RetryHeader].ToString() is { Length: > 0 } retry)
                    log.LogInformation("Slack redelivered event {EventId} (retry {Retry}, {Reason})", json.Text("event_id"), retry, request.Headers["X-Slack-Retry-Reason"].ToString());
                inbox.OnEvent(json);
                return Results.Ok();
            }));
    }

    private static async Task<IResult> VerifiedAsync(HttpRequest request, SlackOptions options, TimeProvider clock, ILogger log, Func<string, Task<IResult>> handle)
    {
        if (!options.AcceptsHttp)
            return Results.NotFound();
        var raw = await ReadAsync(request);
        if (raw is null)
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        // Checked on the bytes as received: a parsed and re-encoded form would not match the signature.
        var check = SlackSignature.Check(options.SigningSecret, request.Headers[SlackSignature.TimestampHeader].ToString(),
            request.Headers[SlackSignature.SignatureHeader].ToString(), raw, clock.GetUtcNow());
        if (check != SignatureCheck.Valid)
        {
            log.LogWarning("Refused a call to {Path}: signature {Check}", request.Path.Value, check);
            return Results.Unauthorized();
        }
        return await handle(Encoding.UTF8.GetString(raw));
    }

    private static async Task<byte[]?> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBody)
            return null;
        using var buffer = new MemoryStream((int)(request.ContentLength ?? 0));
        // Pooled: at a burst of commands, a fresh chunk per request is most of what the acknowledgement allocates.
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                if (buffer.Length + read > MaxBody)
                    return null;
                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        return buffer.ToArray();
    }
}
