using Microsoft.Extensions.Options;

namespace ChatOps.Host.Slack;

public sealed class SlackOptions
{
    public const string Section = "Slack";

    public string BotToken { get; set; } = "";

    // Verifies what Slack sends to /slack/*; not needed when Socket Mode is the only way in.
    public string SigningSecret { get; set; } = "";

    // Set: Socket Mode (no public URL needed). Empty: Slack calls the HTTP endpoints.
    public string AppToken { get; set; } = "";

    public string ApiBaseUrl { get; set; } = "https://slack.com/api";

    // Empty: in the sandbox any channel the app is in; live, only direct messages from people with a role.
    public List<string> AllowedChannelIds { get; set; } = [];

    // Not configuration: set from the resolved start-up mode (ChatOps:ResolvedMode), as the stranger rules differ.
    public bool Live { get; set; }

    // chat.postMessage allows about one message a second per channel; card updates are spaced by this much.
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromSeconds(1);

    // Per attempt; retries come from OutsideCalls.
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    // Socket Mode: a connection on which nothing at all arrives for this long is taken as dead and replaced.
    public TimeSpan SocketSilence { get; set; } = TimeSpan.FromMinutes(10);

    public bool UsesSocketMode => AppToken.Length > 0;

    public bool AcceptsHttp => SigningSecret.Length > 0;

    public bool IsAllowed(string channelId) => AllowedChannelIds.Count == 0 || AllowedChannelIds.Contains(channelId, StringComparer.Ordinal);
}

internal sealed class SlackOptionsValidator : IValidateOptions<SlackOptions>
{
    public ValidateOptionsResult Validate(string? name, SlackOptions options)
    {
        List<string> errors = [];
        if (!IsToken(options.BotToken, "xoxb-"))
            errors.Add("Slack:BotToken must be the bot token (xoxb-…) from the app's OAuth & Permissions page (or set SLACK_BOT_TOKEN)");
        if (options.AppToken.Length > 0 && !IsToken(options.AppToken, "xapp-"))
            errors.Add("Slack:AppToken must be an app-level token (xapp-…) with connections:write, or empty to use the HTTP endpoints (or set SLACK_APP_TOKEN)");
        if (!options.UsesSocketMode && options.SigningSecret.Trim().Length == 0)
            errors.Add("Slack:SigningSecret is required unless Socket Mode is on (Slack:AppToken): it verifies the requests Slack sends to /slack/* (or set SLACK_SIGNING_SECRET)");
        if (!Uri.TryCreate(options.ApiBaseUrl, UriKind.Absolute, out var api) || api.Scheme is not ("http" or "https"))
            errors.Add("Slack:ApiBaseUrl must be an absolute http(s) URL such as https://slack.com/api");
        if (options.AllowedChannelIds.Any(id => string.IsNullOrWhiteSpace(id) || id.Any(char.IsWhiteSpace)))
            errors.Add("Slack:AllowedChannelIds must hold channel ids such as C0123456789");
        if (options.SocketSilence <= TimeSpan.Zero)
            errors.Add("Slack:SocketSilence must be a positive duration, e.g. 00:10:00");
        if (options.UpdateInterval < TimeSpan.Zero)
            errors.Add("Slack:UpdateInterval must not be negative");
        if (options.Timeout <= TimeSpan.Zero)
            errors.Add("Slack:Timeout must be positive");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static bool IsToken(string value, string prefix) =>
        value.Length > prefix.Length && value.StartsWith(prefix, StringComparison.Ordinal) && !value.Any(char.IsWhiteSpace);
}
