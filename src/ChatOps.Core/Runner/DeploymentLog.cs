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

    /// <summary>
    /// Creates the deployment (once; the record remembers it). The runner runs this alongside the first step that
    /// changes the environment, so bookkeeping never delays a rollback; what it returns goes on the release when
    /// that step ends, and the caller saves it.
    /// </summary>
    public async Task<DeploymentStart> BeginAsync(Release release, CancellationToken cancellationToken)
    {
        if (records is null || release.Outputs.Deployment is not null)
            return DeploymentStart.Nothing;
        // Read before the first await: from then on the step that runs meanwhile owns the release.
        var (id, kind, environment, tag, requester) = (release.Id, release.Kind, release.Environment, release.Tag, release.Requester);
        var (headSha, target) = (release.Outputs.HeadSha, release.Outputs.RollbackTargetReleaseId);
        var what = kind == ReleaseKind.Release ? $"release #{id} of {tag}" : $"rollback #{id} to {tag}";
        try
        {
            var sha = headSha ?? await ShaOfTargetAsync(target, tag, cancellationToken);
            var deployment = await records.EnsureAsync(new DeploymentRequest(id, kind.ToString().ToLowerInvariant(), environment, tag, sha,
                $"ChatOps {what} by {requester}"), cancellationToken);
            await records.SetStateAsync(deployment, InProgress, $"{what} in progress", UrlOf(environment), cancellationToken);
            return new DeploymentStart(new DeploymentRecord(deployment, InProgress), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "GitHub deployment of {Kind} {ReleaseId} {What}", kind, id, "not created");
            return new DeploymentStart(null, NoteOf(e, "not created"));
        }
    }

    /// <summary>
    /// At the end: success or failure, and the deployment this one supersedes made inactive. True when the release
    /// changed (its deployment's state, or a note), for the caller to save.
    /// </summary>
    public async Task<bool> EndAsync(Release release, CancellationToken cancellationToken)
    {
        if (records is null || release.Outputs.Deployment is not { State: InProgress } deployment)
            return false;
        var good = release.State is ReleaseState.Released or ReleaseState.RolledBack;
        try
        {
            var detail = good ? $"{release.State} {release.Tag}" : $"{release.State}{(release.StoppedAt is { } at ? $" at {at}" : "")}: {release.Error ?? ""}";
            await records.SetStateAsync(deployment.Id, good ? Success : Failure, Shorten(detail), UrlOf(release.Environment), cancellationToken);
            release.Outputs.Deployment = deployment with { State = good ? Success : Failure };
            if (good && await SupersededAsync(release, cancellationToken) is { } previous)
                await records.SetStateAsync(previous.Id, Inactive, $"superseded by {release.Kind.ToString().ToLowerInvariant()} #{release.Id}", null, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Note(release, e, $"not marked {(good ? Success : Failure)}");
        }
        return true;
    }

    // The deployment that ran in the environment before this one: the latest earlier one that succeeded.
    private async Task<DeploymentRecord?> SupersededAsync(Release release, CancellationToken cancellationToken) =>
        (await releases.ListAsync(release.Environment, activeOnly: false, limit: 100, cancellationToken))
            .Where(r => r.Id < release.Id && r.Outputs.Deployment is { State: Success })
            .OrderByDescending(r => r.Id).Select(r => r.Outputs.Deployment).FirstOrDefault();

    // A release knows its commit from Preflight; a rollback takes the commit of the release it goes back to, else asks for the tag's.
    private async Task<string> ShaOfTargetAsync(long? target, string tag, CancellationToken cancellationToken)
    {
        if (target is { } targetId && await releases.GetAsync(targetId, cancellationToken) is { Outputs.HeadSha: { } targetSha })
            return targetSha;
        return await sourceControl.GetTagCommitAsync(tag, cancellationToken)
            ?? throw new InvalidOperationException($"GitHub knows no tag {tag}");
    }

    private string? UrlOf(string environment) =>
        settings.Environments.TryGetValue(environment, out var env) && env.Url.Length > 0 ? env.Url : null;

    private void Note(Release release, Exception e, string what)
    {
        log.LogWarning(e, "GitHub deployment of {Kind} {ReleaseId} {What}", release.Kind, release.Id, what);
        release.Outputs.Notes.Add(NoteOf(e, what));
    }

    private static string NoteOf(Exception e, string what) => $"GitHub deployment {what}: {Shorten(e.Message)}";

    private static string Shorten(string text) => text.Length <= 140 ? text : text[..139] + "…";
}

/// <summary>What beginning a GitHub deployment gave: the deployment to remember, or the note that says it failed.</summary>
public sealed record DeploymentStart(DeploymentRecord? Deployment, string? Note)
{
    public static readonly DeploymentStart Nothing = new(null, null);

    public void ApplyTo(Release release)
    {
        if (Deployment is not null)
            release.Outputs.Deployment = Deployment;
        if (Note is not null)
            release.Outputs.Notes.Add(Note);
    }
}
