using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>
/// Keeps a GitHub deployment per release and rollback: created in_progress when it first changes the environment,
/// success or failure when it ends, and the deployment it supersedes made inactive. Bookkeeping only: each end is
/// tried once per release within <see cref="RunnerSettings.DeploymentRecordTimeout"/>, and a failure is logged and
/// noted on the card once, never a reason to fail, stop or hold up the release. Off when no
/// <see cref="IDeploymentRecords"/> is registered (GitHub:Deployments=false).
/// </summary>
public sealed class DeploymentLog(
    ChatOpsSettings settings,
    RunnerSettings runnerSettings,
    IReleaseStore releases,
    ISourceControl sourceControl,
    ILogger<DeploymentLog> log,
    IDeploymentRecords? records = null)
{
    public const string InProgress = "in_progress";
    public const string Success = "success";
    public const string Failure = "failure";
    public const string Inactive = "inactive";

    /// <summary>Not GitHub's: the one attempt to create the deployment failed, so none is tried again nor ended.</summary>
    public const string NotCreated = "not_created";

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
        using var bound = Bound(cancellationToken);
        try
        {
            var sha = headSha ?? await ShaOfTargetAsync(target, tag, bound.Token);
            var deployment = await records.EnsureAsync(new DeploymentRequest(id, kind.ToString().ToLowerInvariant(), environment, tag, sha,
                $"ChatOps {what} by {requester}"), bound.Token);
            await records.SetStateAsync(deployment, InProgress, $"{what} in progress", UrlOf(environment), bound.Token);
            return new DeploymentStart(new DeploymentRecord(deployment, InProgress), null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "GitHub deployment of {Kind} {ReleaseId} {What}", kind, id, "not created");
            // Remembered, so the next steps neither try again nor add the same note: one attempt, one note per release.
            return new DeploymentStart(new DeploymentRecord(0, NotCreated), NoteOf(e, "not created", bound));
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
        using var bound = Bound(cancellationToken);
        try
        {
            var detail = good ? $"{release.State} {release.Tag}" : $"{release.State}{(release.StoppedAt is { } at ? $" at {at}" : "")}: {release.Error ?? ""}";
            await records.SetStateAsync(deployment.Id, good ? Success : Failure, Shorten(detail), UrlOf(release.Environment), bound.Token);
            release.Outputs.Deployment = deployment with { State = good ? Success : Failure };
            if (good && await SupersededAsync(release, bound.Token) is { } previous)
                await records.SetStateAsync(previous.Id, Inactive, $"superseded by {release.Kind.ToString().ToLowerInvariant()} #{release.Id}", null, bound.Token);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            log.LogWarning(e, "GitHub deployment of {Kind} {ReleaseId} {What}", release.Kind, release.Id, "not ended");
            release.Outputs.Notes.Add(NoteOf(e, $"not marked {(good ? Success : Failure)}", bound));
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

    private CancellationTokenSource Bound(CancellationToken cancellationToken)
    {
        var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(runnerSettings.DeploymentRecordTimeout);
        return bound;
    }

    private string NoteOf(Exception e, string what, CancellationTokenSource bound) =>
        $"GitHub deployment {what}: {Shorten(bound.IsCancellationRequested ? $"GitHub did not answer within {runnerSettings.DeploymentRecordTimeout.TotalSeconds:0.#} s" : e.Message)}";

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
