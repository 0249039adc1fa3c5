using ChatOps.Core.Chat;

namespace ChatOps.Core.Settings;

/// <summary>The <c>ChatOps</c> configuration section; bound and validated by the host at start-up.</summary>
public sealed class ChatOpsSettings
{
    public string Mode { get; set; } = "auto";
    public string DefaultEnvironment { get; set; } = "production";
    public string TagPattern { get; set; } = @"^v\d+\.\d+\.\d+$";
    public string BotName { get; set; } = "ChatOpsBot";
    public AccessSettings Access { get; set; } = new();
    public Dictionary<string, EnvironmentSettings> Environments { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}

public sealed class AccessSettings
{
    public List<string> Releasers { get; set; } = [];
    public List<string> Approvers { get; set; } = [];
    public bool RequireDistinctApprover { get; set; } = true;
    public TimeSpan ApprovalTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Whom a gate calls by name; empty: every approver other than the requester.</summary>
    public List<string> CallAtApproval { get; set; } = [];
}
