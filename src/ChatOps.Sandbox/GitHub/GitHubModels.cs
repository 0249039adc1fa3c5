using System.Text.Json.Nodes;

namespace ChatOps.Sandbox;

internal sealed record SimCommit(
    string Sha, string? ParentSha, string Message, DateTimeOffset Date, string TreeSha, int PullNumber,
    IReadOnlyDictionary<string, byte[]> Files);

internal sealed record Tagger(string Name, string Email, string Date);

internal sealed record TagObject(string Sha, string Tag, string Message, string ObjectSha, string ObjectType, Tagger Tagger);

internal sealed record CheckRun(
    long Id, string HeadSha, string Name, string Status, string? Conclusion, DateTimeOffset StartedAt, DateTimeOffset? CompletedAt);

internal sealed record CommitStatus(long Id, string Sha, string Context, string State, DateTimeOffset CreatedAt);

internal sealed record Release(
    long Id, string TagName, string TargetCommitish, string Name, string Body, bool Draft, bool Prerelease, DateTimeOffset CreatedAt);

internal sealed record Deployment(
    long Id, string Sha, string Ref, string Task, string Environment, string Description, JsonNode? Payload,
    bool TransientEnvironment, bool ProductionEnvironment, DateTimeOffset CreatedAt);

internal sealed record DeploymentStatus(
    long Id, long DeploymentId, string State, string Description, string Environment, string LogUrl, string EnvironmentUrl,
    DateTimeOffset CreatedAt);

// The outcome of a write that the endpoints turn into GitHub's exact status code and message.
internal enum WriteOutcome
{
    Created,
    Updated,
    AlreadyExists,
    Missing,
    UnknownObject,
    NotFastForward,
    ShaMissing,
    ShaMismatch,
}
