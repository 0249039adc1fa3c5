using Microsoft.Extensions.Options;

namespace ChatOps.Host.Fly;

public sealed class FlyOptions
{
    public const string Section = "Fly";

    public string ApiToken { get; set; } = "";
    public string ApiBaseUrl { get; set; } = "https://api.machines.dev";

    // Where images named registry.fly.io/… are looked up (their digest, for the approval); the sandbox points it at its simulator.
    public string RegistryUrl { get; set; } = "https://" + FlyRegistry.Host;

    // flyctl holds 13 s and refreshes every few seconds; we refresh at a third of this.
    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    // Per attempt; long calls (wait, exec) get their own, and retries come from OutsideCalls.
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    // Between reads of a machine's checks or a volume's snapshots. Fly allows 5 reads a second of one machine; 4 a
    // second keeps under it while a rollback learns a machine is healthy within a quarter second of it passing.
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    // A printed deploy token may already carry its scheme; macaroons (fm1_/fm2_) use FlyV1, the rest Bearer.
    internal string AuthorizationHeader =>
        ApiToken.StartsWith("FlyV1 ", StringComparison.Ordinal) || ApiToken.StartsWith("Bearer ", StringComparison.Ordinal) ? ApiToken
        : ApiToken.StartsWith("fm1", StringComparison.Ordinal) || ApiToken.StartsWith("fm2", StringComparison.Ordinal) ? "FlyV1 " + ApiToken
        : "Bearer " + ApiToken;

    // The registry takes the token as a password (user `x`, as `fly auth docker` logs in), without an HTTP scheme.
    internal string RegistryPassword => ApiToken.StartsWith("Bearer ", StringComparison.Ordinal) ? ApiToken["Bearer ".Length..] : ApiToken;
}

internal sealed class FlyOptionsValidator : IValidateOptions<FlyOptions>
{
    public ValidateOptionsResult Validate(string? name, FlyOptions options)
    {
        List<string> errors = [];
        if (string.IsNullOrWhiteSpace(options.ApiToken))
        {
            errors.Add("Fly:ApiToken is missing (or set FLY_API_TOKEN)");
        }

        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            errors.Add("Fly:ApiBaseUrl must be an absolute http(s) URL such as https://api.machines.dev");
        }

        if (!Uri.TryCreate(options.RegistryUrl, UriKind.Absolute, out var registry) || registry.Scheme is not ("http" or "https"))
        {
            errors.Add("Fly:RegistryUrl must be an absolute http(s) URL such as https://registry.fly.io");
        }

        if (options.LeaseTtl < TimeSpan.FromSeconds(3) || options.LeaseTtl > TimeSpan.FromHours(1))
        {
            errors.Add("Fly:LeaseTtl must be between 3 seconds and 1 hour");
        }

        if (options.Timeout <= TimeSpan.Zero)
        {
            errors.Add("Fly:Timeout must be positive");
        }

        if (options.PollInterval <= TimeSpan.Zero)
        {
            errors.Add("Fly:PollInterval must be positive");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
