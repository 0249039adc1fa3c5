using ChatOps.Host.Fly;
using ChatOps.Host.Http;
using Flurl.Http;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.PrometheusQueries;

// What every query shares: the authenticated client on the pooled, resilient handler.
internal sealed class PrometheusApi(IHttpClientFactory httpClients, IOptions<PrometheusOptions> options, IOptions<FlyOptions> fly)
{
    public const string SystemName = "Prometheus";
    public const string HttpClientName = "prometheus";

    public PrometheusOptions Options => options.Value;

    public IFlurlClient Open()
    {
        var token = string.IsNullOrEmpty(Options.Token) ? fly.Value.ApiToken : Options.Token;
        var client = httpClients.CreateFlurlClient(HttpClientName, Options.Url, OutsideCalls.WebJson);
        // The same scheme rule as the Machines API: Fly's Prometheus takes the same tokens.
        client.WithHeader("Authorization", new FlyOptions { ApiToken = token }.AuthorizationHeader).WithHeader("User-Agent", "chatops-release-bot/1.0");
        return client;
    }

    public static IFlurlRequest Query(IFlurlClient client) => client.Request("api", "v1", "query");

    public static IFlurlRequest QueryRange(IFlurlClient client) => client.Request("api", "v1", "query_range");
}
