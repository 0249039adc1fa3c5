using Microsoft.Extensions.Options;

namespace ChatOps.Host.Hosting;

// The release runner's pace, read from the ChatOps section beside ChatOpsSettings; RunnerSettings carries it into the core.
public sealed class RunnerOptions
{
    public const string Section = "ChatOps";

    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromSeconds(1);

    public int VerifyAttempts { get; set; } = 5;

    public TimeSpan LeaseTtl { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);
}

internal sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, RunnerOptions options)
    {
        List<string> errors = [];
        // A zero interval would spin the sweep or the probes; a zero lease would be taken over as soon as it is claimed.
        Positive(errors, nameof(RunnerOptions.VerifyInterval), options.VerifyInterval);
        Positive(errors, nameof(RunnerOptions.LeaseTtl), options.LeaseTtl);
        Positive(errors, nameof(RunnerOptions.SweepInterval), options.SweepInterval);
        if (options.VerifyAttempts < 1)
            errors.Add($"{RunnerOptions.Section}:{nameof(RunnerOptions.VerifyAttempts)} must be at least 1 (was {options.VerifyAttempts})");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void Positive(List<string> errors, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
            errors.Add($"{RunnerOptions.Section}:{key} must be a positive duration (was {value:c})");
    }
}
