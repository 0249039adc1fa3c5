namespace ChatOps.Host.Http;

/// <summary>
/// The path of a URL as it may be logged or shown. Some URLs are credentials in their path: a Slack response_url
/// (<c>/commands/T…/…/…</c>, <c>/actions/…</c>, Slack's <c>/services/…</c> webhooks, the sandbox's <c>/hooks/…</c>)
/// lets anyone post into the channel, and the Telegram Bot API carries the token (<c>/bot123:abc/…</c>). Those parts are
/// replaced; every log line and error message that names a request path goes through here.
/// </summary>
public static class CredentialPaths
{
    private const string Hidden = "[redacted]";
    private static readonly string[] HookRoots = ["commands", "actions", "services", "hooks"];

    public static string Of(Uri? uri) => uri is null ? "?" : Of(uri.IsAbsoluteUri ? uri.AbsolutePath : uri.OriginalString);

    public static string Of(string path)
    {
        var query = path.IndexOfAny(['?', '#']);
        if (query >= 0)
            path = path[..query];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length == 0)
            return "/";
        if (segments.Length > 1 && HookRoots.Contains(segments[0], StringComparer.OrdinalIgnoreCase))
            return $"/{segments[0]}/{Hidden}";
        if (segments[0].StartsWith("bot", StringComparison.OrdinalIgnoreCase) && segments[0].Contains(':', StringComparison.Ordinal))
            segments[0] = "bot" + Hidden;
        return "/" + string.Join('/', segments);
    }
}
