using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Rules;

/// <summary>When the bot rolls a release back on its own, and when a Roll back button has gone stale.</summary>
public sealed class RollbackRules(ChatOpsSettings settings)
{
    /// <summary>A release that failed after it changed production, in a step that checks the running services, with auto-rollback on.</summary>
    public bool ShouldAutoRollback(Release release, ReleaseState failedAt) =>
        release is { Kind: ReleaseKind.Release, State: ReleaseState.Failed, ChangedProduction: true }
        && Runbook.ChecksServices(failedAt)
        && settings.Environments.TryGetValue(release.Environment, out var environment) && environment.AutoRollback;

    /// <summary>
    /// A failed release's Roll back button is stale once a newer release or rollback changed the environment: it
    /// would put back images older than what runs now, under a newer schema.
    /// </summary>
    public static string? IsStaleToRollBack(Release release, IReadOnlyList<Release> recent) =>
        recent.FirstOrDefault(r => r.Id > release.Id && r.ChangedEnvironment) is { } newer
            ? $"Release #{release.Id} ({release.Tag}) is no longer the last change to {release.Environment}: {newer.Kind.ToString().ToLowerInvariant()} #{newer.Id} ({newer.Tag}) "
              + $"changed it since, so this button would put back older images under what runs now. Nothing moved. /rollback {release.Environment} goes back to the "
              + $"last good release; /rollback {release.Environment} --check shows what it would do first."
            : null;
}
