using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Tests.Rules;

/// <summary>The people and releases the rules' tables are written with.</summary>
internal static class RuleRows
{
    public static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 12, 0, TimeSpan.Zero);

    public static readonly AccessPolicy Access = new(new AccessSettings
    {
        Releasers = ["test:alice", "test:carol"],
        Approvers = ["test:bob"],
        RequireDistinctApprover = true,
    });

    /// <summary>"alice" requested it; "bob" approves; "carol" is another releaser; "mallory" has no role.</summary>
    public static ChatUser Person(string name) => new($"test:{name}");

    public static Release At(ReleaseState state, string requester = "alice") =>
        new() { Id = 7, Kind = ReleaseKind.Release, Environment = "production", Tag = "v1.2.0", Requester = $"test:{requester}", State = state };
}
