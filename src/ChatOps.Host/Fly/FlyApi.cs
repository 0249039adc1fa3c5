using System.Text.Json.Nodes;
using ChatOps.Host.Http;
using Flurl.Http;

namespace ChatOps.Host.Fly;

// What every Machines API call shares: the authenticated client on the pooled, resilient handler, and the app's URLs.
internal sealed class FlyApi(IHttpClientFactory httpClients, FlyOptions options)
{
    public const string SystemName = "Fly";

    // Added to a call's own server-side wait (/wait, exec), so Fly's answer arrives before our timeout.
    public static readonly TimeSpan WaitGrace = TimeSpan.FromSeconds(15);

    public FlyOptions Options { get; } = options;

    public IFlurlClient Open()
    {
        var client = httpClients.CreateFlurlClient(FlyClient.HttpClientName, Options.ApiBaseUrl, OutsideCalls.SnakeCaseJson);
        client.WithHeader("Authorization", Options.AuthorizationHeader).WithHeader("User-Agent", "chatops-release-bot/1.0");
        return client;
    }

    public static IFlurlRequest App(IFlurlClient client, string app, params string[] segments) =>
        client.Request("v1", "apps", app).AppendPathSegments(segments);

    public static IFlurlRequest Machine(IFlurlClient client, string app, string machineId, params string[] segments) =>
        App(client, app, "machines", machineId).AppendPathSegments(segments);

    /// <summary>
    /// One <c>/wait</c> for the machine to reach <paramref name="state"/>, for at most what is <paramref name="left"/> (Fly
    /// caps a wait at 60 s and answers 408 when it runs out first): true when the state was reached.
    /// </summary>
    public static async Task<bool> WaitOnceAsync(
        IFlurlClient client, string app, string machineId, string state, string? instanceId, TimeSpan left, CancellationToken cancellationToken)
    {
        var seconds = Math.Clamp((int)Math.Ceiling(left.TotalSeconds), 1, 60);
        using var response = await Machine(client, app, machineId, "wait")
            .SetQueryParams(new { state, instance_id = instanceId, timeout = seconds })
            .WithAttemptTimeout(TimeSpan.FromSeconds(seconds) + WaitGrace)
            .SendAsync(SystemName, HttpMethod.Get, null, cancellationToken, 408);
        return response.StatusCode != 408;
    }

    public static async Task<List<JsonObject>> ListAsync(IFlurlClient client, string app, CancellationToken cancellationToken) =>
        await App(client, app, "machines").CallJsonAsync<List<JsonObject>>(SystemName, HttpMethod.Get, null, cancellationToken);
}
