using Microsoft.Extensions.Options;

// Not ChatOps.Host.Prometheus: inside ChatOps.Host that name would hide prometheus-net's `Prometheus` namespace, which
// the bot's own /metrics uses.
namespace ChatOps.Host.PrometheusQueries;

// Section `Prometheus`: the metrics the bake judges a release by. Fly's managed one is
// https://api.fly.io/prometheus/<org-slug>, read with the Fly token (reference/prometheus-api.md §1).
public sealed class PrometheusOptions
{
    public const string Section = "Prometheus";

    // Empty: no Prometheus, so no built-in bake checks.
    public string Url { get; set; } = "";

    // Empty: Fly:ApiToken, as Fly's Prometheus takes it. Sent as Fly's tokens are: a FlyV1 macaroon as it is, else Bearer.
    public string Token { get; set; } = "";

    // Per attempt; retries come from OutsideCalls.
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);

    // All attempts of one query together. The bake asks again at its next interval (a minute by default), so retrying
    // past it only piles queries onto a struggling server.
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(45);

    public bool IsConfigured => Url.Length > 0;
}

internal sealed class PrometheusOptionsValidator : IValidateOptions<PrometheusOptions>
{
    public ValidateOptionsResult Validate(string? name, PrometheusOptions options)
    {
        List<string> errors = [];
        if (options.IsConfigured && (!Uri.TryCreate(options.Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            errors.Add("Prometheus:Url must be an absolute http(s) URL such as https://api.fly.io/prometheus/<org-slug>");
        }

        if (options.Timeout < TimeSpan.FromMilliseconds(10) || options.TotalTimeout < options.Timeout)
        {
            errors.Add("Prometheus:Timeout must be at least 10 ms, and Prometheus:TotalTimeout not below it");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
