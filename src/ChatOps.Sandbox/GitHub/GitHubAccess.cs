using System.Collections.Concurrent;

namespace ChatOps.Sandbox;

// Who may call the simulated GitHub, and with which permissions: the configured personal token, and the installation
// tokens the app's JWT buys. Each token carries fine-grained permissions (name → read/write) as GitHub's do, so a test
// can take one away and see the bot refused as GitHub refuses it.
public sealed class GitHubAccess(SandboxOptions options)
{
    // Everything the bot's calls need; a test narrows it with Revoke.
    private static readonly Dictionary<string, string> Everything = new(StringComparer.Ordinal)
    {
        ["metadata"] = "read",
        ["contents"] = "write",
        ["checks"] = "write",
        ["statuses"] = "write",
        ["deployments"] = "write",
        ["actions"] = "write",
        ["pull_requests"] = "write",
    };

    private readonly ConcurrentDictionary<string, string> _tokenPermissions = new(Everything, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _appPermissions = new(Everything, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _installationTokens = new(StringComparer.Ordinal);

    // GitHub's installation tokens last an hour; a test shortens it to see the bot refresh.
    public TimeSpan InstallationTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    public TimeProvider Time { get; set; } = TimeProvider.System;

    public IReadOnlyCollection<string> IssuedTokens => [.. _installationTokens.Keys];

    // The personal token (and, with app: true, the app's installations) loses a permission, as when it was not ticked.
    public void Revoke(string permission, bool app = false) => (app ? _appPermissions : _tokenPermissions).TryRemove(permission, out _);

    public void Grant(string permission, string level, bool app = false) => (app ? _appPermissions : _tokenPermissions)[permission] = level;

    internal IReadOnlyDictionary<string, string> AppPermissions => _appPermissions;

    internal string IssueInstallationToken(out DateTimeOffset expiresAt)
    {
        var token = "ghs_" + SandboxJson.RandomHex(18);
        expiresAt = Time.GetUtcNow() + InstallationTokenLifetime;
        _installationTokens[token] = expiresAt;
        return token;
    }

    internal Caller Authenticate(string authorization)
    {
        var token = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization[7..]
            : authorization.StartsWith("token ", StringComparison.Ordinal) ? authorization[6..] : "";
        if (token.Length > 0 && token == options.GitHubToken)
            return new Caller(CallerKind.PersonalToken, _tokenPermissions);
        if (_installationTokens.TryGetValue(token, out var expires))
            return expires > Time.GetUtcNow() ? new Caller(CallerKind.Installation, _appPermissions) : Caller.Expired;
        return Caller.Unknown;
    }
}

internal enum CallerKind { Unknown, Expired, PersonalToken, Installation }

internal sealed record Caller(CallerKind Kind, IReadOnlyDictionary<string, string> Permissions)
{
    public static readonly Caller Unknown = new(CallerKind.Unknown, new Dictionary<string, string>());
    public static readonly Caller Expired = new(CallerKind.Expired, new Dictionary<string, string>());

    public bool May(GitHubPermissionNeed need) =>
        Permissions.TryGetValue(need.Permission, out var level) && (level == "write" || need.Level == "read");
}
