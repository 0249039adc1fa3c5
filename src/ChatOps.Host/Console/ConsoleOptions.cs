using System.Text.RegularExpressions;
using ChatOps.Core.Domain;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Console;

public sealed class ConsoleOptions
{
    public const string Section = "Console";

    // Unset: on in the sandbox, where the terminal is the newcomer's only chat, and off in live mode.
    public bool? Enabled { get; set; }

    public const string DefaultUser = "alice";

    public string User { get; set; } = DefaultUser;

    // The same names /as accepts, so the configured user is one the console could switch back to.
    internal static bool IsUserName(string value) => UserName.IsMatch(value);

    // One spelling per person: the requester is compared exactly, so "Alice" at start-up and "/as alice" must be the same user.
    internal static ChatUser UserOf(string name) => ChatUser.Of("console", name.ToLowerInvariant());

    private static readonly Regex UserName = new("^[A-Za-z0-9._-]{1,32}$", RegexOptions.Compiled);
}

internal sealed class ConsoleOptionsValidator : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options) =>
        ConsoleOptions.IsUserName(options.User)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"Console:User must be 1-32 letters, digits, '.', '_' or '-', e.g. alice (was '{options.User}')");
}
