using System.Globalization;
using System.Net;
using System.Text;
using ChatOps.Core.Store;
using ChatOps.Host.Incidents;
using ChatOps.IntegrationTests.Harness;

namespace ChatOps.IntegrationTests.Incidents;

/// <summary>The incident webhook through the real host: only a caller with the secret opens or ends an incident.</summary>
public sealed class IncidentWebhookTests
{
    private const string Secret = "test-incident-secret-0123456789";
    // A Standard Webhooks (incident.io) secret: whsec_ and a base64 key.
    private static readonly string Whsec = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("incident-io-signing-key-32-bytes"));
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(20) };

    private static string PagerDuty(string type, string id = "Q1ZB3K2") => """
        {"event":{"id":"01DEN6WGUVN","event_type":"TYPE","resource_type":"incident","occurred_at":"2026-12-07T22:00:00Z",
         "data":{"id":"ID","type":"incident","html_url":"https://acme.pagerduty.com/incidents/ID","number":42,"status":"triggered",
                 "title":"Checkout returns 500","service":{"id":"PSVC1","summary":"checkout"}}}}
        """.Replace("TYPE", type, StringComparison.Ordinal).Replace("ID", id, StringComparison.Ordinal);

    private static string IncidentIo(string type, string category) => """
        {"event_type":"TYPE","TYPE":{"id":"01HINC","name":"Search is slow","reference":"INC-7",
         "permalink":"https://app.incident.io/acme/incidents/7","incident_status":{"category":"CATEGORY","name":"x"}}}
        """.Replace("TYPE", type, StringComparison.Ordinal).Replace("CATEGORY", category, StringComparison.Ordinal);

    private static async Task<HttpResponseMessage> PostAsync(BotHost bot, string environment, string body, Action<HttpRequestMessage>? sign)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(bot.BaseUrl, $"webhooks/incidents/{environment}"))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        sign?.Invoke(request);
        return await Http.SendAsync(request);
    }

    private static Action<HttpRequestMessage> SignedForPagerDuty(string secret, string body) =>
        r => r.Headers.Add(IncidentWebhookSignature.PagerDutyHeader, IncidentWebhookSignature.PagerDuty(secret, Encoding.UTF8.GetBytes(body)));

    private static Action<HttpRequestMessage> SignedForIncidentIo(string body, DateTimeOffset at) => r =>
    {
        var timestamp = at.ToUnixTimeSeconds();
        r.Headers.Add(IncidentWebhookSignature.IdHeader, "msg_1");
        r.Headers.Add(IncidentWebhookSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        r.Headers.Add(IncidentWebhookSignature.SignatureHeader, IncidentWebhookSignature.StandardWebhooks(Whsec, "msg_1", timestamp, Encoding.UTF8.GetBytes(body)));
    };

    private static async Task<Incident?> OpenIncidentAsync(BotHost bot) => (await bot.Get<IEnvironmentStore>().GetAsync("production", CancellationToken.None)).Incident;

    [Fact]
    public async Task A_call_without_the_secret_a_wrong_bearer_or_a_wrong_signature_gets_401_and_opens_nothing()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Incidents:Secret"] = Secret });
        var body = PagerDuty("incident.triggered");

        var refused = new[]
        {
            await PostAsync(bot, "production", body, null),
            await PostAsync(bot, "production", body, r => r.Headers.Authorization = new("Bearer", "not-the-secret")),
            await PostAsync(bot, "production", body, SignedForPagerDuty("not-the-secret", body)),
            await PostAsync(bot, "production", body.Replace("Checkout", "Payments", StringComparison.Ordinal), SignedForPagerDuty(Secret, body)),
        };

        Assert.All(refused, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Null(await OpenIncidentAsync(bot));
    }

    [Fact]
    public async Task PagerDuty_opens_an_incident_that_refuses_releases_and_ends_it()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Incidents:Secret"] = Secret });
        var triggered = PagerDuty("incident.triggered");

        var opened = await PostAsync(bot, "production", triggered, SignedForPagerDuty(Secret, triggered));

        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        var incident = await OpenIncidentAsync(bot);
        Assert.Equal(("Checkout returns 500", "https://acme.pagerduty.com/incidents/Q1ZB3K2", "Q1ZB3K2"), (incident!.Title, incident.Link, incident.ExternalId));
        Assert.Contains("“Checkout returns 500” (https://acme.pagerduty.com/incidents/Q1ZB3K2)", await bot.SayAsync("/release v0.2.0"));

        var resolved = PagerDuty("incident.resolved");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(bot, "production", resolved, SignedForPagerDuty(Secret, resolved))).StatusCode);
        Assert.Null(await OpenIncidentAsync(bot));
    }

    [Fact]
    public async Task Incident_io_opens_with_a_standard_webhooks_signature_and_closes_on_a_closed_update()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Incidents:Secret"] = Whsec });
        var created = IncidentIo("public_incident.incident_created_v2", "live");
        var closed = IncidentIo("public_incident.incident_updated_v2", "closed");

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(bot, "production", created, SignedForIncidentIo(created, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Equal("INC-7 Search is slow", (await OpenIncidentAsync(bot))?.Title);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(bot, "production", closed, SignedForIncidentIo(closed, DateTimeOffset.UtcNow.AddMinutes(-10)))).StatusCode);
        Assert.NotNull(await OpenIncidentAsync(bot));

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(bot, "production", closed, SignedForIncidentIo(closed, DateTimeOffset.UtcNow))).StatusCode);
        Assert.Null(await OpenIncidentAsync(bot));
    }

    [Fact]
    public async Task A_bearer_secret_opens_one_and_an_unknown_environment_gets_404()
    {
        await using var bot = await SandboxBot.StartAsync(new Dictionary<string, string?> { ["Incidents:Secret"] = Secret });
        var body = PagerDuty("incident.triggered");
        void Bearer(HttpRequestMessage r) => r.Headers.Authorization = new("Bearer", Secret);

        Assert.Equal(HttpStatusCode.NotFound, (await PostAsync(bot, "nowhere", body, Bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(bot, "staging", "{\"not\":\"an incident\"}", Bearer)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(bot, "production", body, Bearer)).StatusCode);
        Assert.NotNull(await OpenIncidentAsync(bot));
        Assert.Null((await bot.Get<IEnvironmentStore>().GetAsync("staging", CancellationToken.None)).Incident);
    }
}
