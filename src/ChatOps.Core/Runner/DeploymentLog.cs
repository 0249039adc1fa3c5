using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Keeps a GitHub deployment per release and rollback: created in_progress when it first changes the environment,
/// success or failure when it ends, and the deployment it supersedes made inactive. Bookkeeping only: a failed
/// call is logged and noted on the card, never a reason to fail or stop the release. Off when no
/// <see cref="IDeploymentRecords"/> is registered (GitHub:Deployments=false).
/// </summary>
public sealed class DeploymentLog(
    ChatOpsSettings settings,
    IReleaseStore releases,
    ISourceControl sourceControl,
    ILogger<DeploymentLog> log,
    IDeploymentRecords? records = null)
{
    public const string InProgress = "in_progress";
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Inactive = "inactive";

    /// <summary>Creates the deployment (once; the record remembers it); the caller saves the release.</summary>
    public async Task BeginAsync(Release release, CancellationToken cancellationToken)
    {
        if (records is null || release.Outputs.Deployment is not null)
            return;
        try
        {
            var sha = await ShaOfAsync(release, cancellationToken);
            var what = release.Kind == ReleaseKind.Release ? $"release #{release.Id} of {release.Tag}" : $"rollback #{release.Id} to {release.Tag}";
            var id = await records.EnsureAsync(new DeploymentRequest(release.Id, release.Kind.ToString().ToLowerInvariant(), release.Environment, release.Tag, sha,
                $"ChatOps {what} by {release.Requester}"), cancellationToken);
            await records.SetStateAsync(id, InProgress, $"{what} in progress", UrlOf(release), cancellationToken);
            release.Outputs.Deployment = new DeploymentRecord(id, InProgress);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Note(release, e, "not created");
        }
    }

    /// <summary>At the end: success or failure, and the deployment this one supersedes made inactive. The caller saves the release.</summary>
    public async Task EndAsync(Release release, CancellationToken cancellationToken)
    {
        if (records is null || release.Outputs.Deployment is not { State: InProgress } deployment)
            return;
        var good = release.State is ReleaseState.Released or ReleaseState.RolledBack;
        try
        {
            var detail = good ? $"{release.State} {release.Tag}" : $"{release.State}{(release.StoppedAt is { } at ? $" at {at}" : "")}: {release.Error ?? ""}";
            await records.SetStateAsync(deployment.Id, good ? Success : Failure, Shorten(detail), UrlOf(release), cancellationToken);
            release.Outputs.Deployment = deployment with { State = good ? Success : Failure };
            if (good && await SupersededAsync(release, cancellationToken) is { } previous)
                await records.SetStateAsync(previous.Id, Inactive, $"superseded by {release.Kind.ToString().ToLowerInvariant()} #{release.Id}", null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Note(release, e, $"not marked {(good ? Success : Failure)}");
        }
    }

    // The deployment that ran in the environment before this one: the latest earlier one that succeeded.
    private async Task<DeploymentRecord?> SupersededAsync(Release release, CancellationToken cancellationToken) =>
        (await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken))
            .Where(r => r.Id < release.Id && r.Outputs.Deployment is { State: Success })
            .OrderByDescending(r => r.Id).Select(r => r.Outputs.Deployment).FirstOrDefault();

    // A release knows its commit from Preflight; a rollback takes the commit of the release it goes back to, else asks for the tag's.
    private async Task<string> ShaOfAsync(Release release, CancellationToken cancellationToken)
    {
        if (release.Outputs.HeadSha is { } sha)
            return sha;
        if (release.Outputs.RollbackTargetReleaseId is { } target && await releases.GetAsync(target, cancellationToken) is { Outputs.HeadSha: { } targetSha })
            return targetSha;
        return await sourceControl.GetTagCommitAsync(release.Tag, cancellationToken)
            ?? throw new InvalidOperationException($"GitHub knows no tag {release.Tag}");
    }

    private string? UrlOf(Release release) =>
        settings.Environments.TryGetValue(release.Environment, out var env) && env.Url.Length > 0 ? env.Url : null;

    private void Note(Release release, Exception e, string what)
    {
        log.LogWarning(e, "GitHub deployment of {Kind} {ReleaseId} {What}", release.Kind, release.Id, what);
        release.Outputs.Notes.Add($"GitHub deployment {what}: {Shorten(e.Message)}");
    }

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..139] + "…";
}
