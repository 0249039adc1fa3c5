using Microsoft.Extensions.Options;

namespace ChatOps.Host.Http;

// Section `OutsideCalls`: how hard every call to GitHub, Fly and the released services tries before giving up.
// One named instance per HttpClient, so an adapter can override the attempt timeout with its own `Timeout` key.
public sealed class OutsideCallOptions
{
    public const string Section = "OutsideCalls";

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(3);
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(60);
    public int MaxAttempts { get; set; } = 5;
}

internal sealed class OutsideCallOptionsValidator : IValidateOptions<OutsideCallOptions>
{
    public ValidateOptionsResult Validate(string? name, OutsideCallOptions options)
    {
        List<string> errors = [];
        // Polly refuses timeouts under 10 ms, and a zero delay would hammer a struggling server.
        if (options.AttemptTimeout < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Key(name, "AttemptTimeout")} must be at least 10 ms");
        }

        if (options.TotalTimeout < TimeSpan.FromMilliseconds(10))
        {
            errors.Add($"{Key(name, "TotalTimeout")} must be at least 10 ms");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.MaxRetryDelay < options.RetryBaseDelay)
        {
            errors.Add($"{Key(name, "RetryBaseDelay")} must be positive and not above MaxRetryDelay");
        }

        if (options.MaxAttempts is < 1 or > 10)
        {
            errors.Add($"{Key(name, "MaxAttempts")} must be between 1 and 10");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static string Key(string? client, string key) =>
        string.IsNullOrEmpty(client) ? $"{OutsideCallOptions.Section}:{key}" : $"{OutsideCallOptions.Section}:{key} (client {client})";
}
