using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;
using Microsoft.Extensions.Logging;

namespace ChatOps.Core.Runner;

/// <summary>Writes a new release or rollback, if its environment is free, and hands it to the runner.</summary>
public sealed class ReleaseStarter(IReleaseStore releases, ReleaseQueue queue, ILogger<ReleaseStarter> log)
{
    public async Task<StartResult> StartAsync(Release release, ChatUser user, string detail, CancellationToken cancellationToken)
    {
        var audit = new AuditEvent(null, release.Environment, user.Id, "request", null, release.State.ToString(), detail, release.CreatedAt);
        var outcome = await releases.TryStartAsync(release, audit, cancellationToken);
        if (outcome.Started is not { } started)
        {
            var holder = outcome.Holder!;
            return StartResult.No($"{release.Environment} is busy: {holder.Kind.ToString().ToLowerInvariant()} #{holder.Id} {holder.Tag} by {holder.Requester} is at {Runbook.Label(holder.State.ToString())}. Wait for it, or /cancel {holder.Id} while it is before migrations.");
        }
        log.LogInformation("{Kind} {ReleaseId} of {Tag} to {Environment} requested by {User}", started.Kind, started.Id, started.Tag, started.Environment, user.Id);
        queue.Enqueue(started.Id);
        return new StartResult(started, null);
    }
}
