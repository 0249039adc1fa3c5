using System.Globalization;
using ChatOps.Core.Domain;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Rules;

/// <summary>
/// Staging before production: a tag goes to an environment with <c>PromoteFrom</c> only once it reached Released
/// there at least <c>MinBake</c> ago, passed its bake there (where that environment bakes: accepted by a person after
/// an inconclusive bake is not passed) and was not rolled back since, and then with exactly the images that ran there.
/// Pure: decided from the source environment's history, read before.
/// </summary>
public sealed class PromotionRule(ChatOpsSettings settings, AccessPolicy access)
{
    /// <summary>The environment whose history the rule reads for a release to <paramref name="environment"/>; null when no rule applies or it is skipped.</summary>
    public string? SourceOf(string environment, string? skipReason) =>
        skipReason is null && settings.Environments.TryGetValue(environment, out var target) && target.PromoteFrom.Length > 0 ? target.PromoteFrom : null;

    /// <summary>
    /// The promotion rule for a release of <paramref name="tag"/> to <paramref name="environment"/>: null when the
    /// environment promotes from none; else the promotion (or a refusal), or the override of an approver with a reason.
    /// </summary>
    public PromotionVerdict? Promotion(string environment, string tag, ChatUser user, string? skipReason, IReadOnlyList<Release> sourceHistory, DateTimeOffset now)
    {
        if (!settings.Environments.TryGetValue(environment, out var target) || target.PromoteFrom.Length == 0)
            return skipReason is null ? null : PromotionVerdict.No($"{environment} promotes from no environment, so there is no promotion rule to skip. Drop --skip-promotion.");
        if (skipReason is null)
            return PromotionRule.Check(environment, target, tag, sourceHistory, now);
        if (!access.IsApprover(user))
            return PromotionVerdict.No($"{user} may not skip the promotion rule: only approvers can (--skip-promotion is audited and shown on the card).");
        if (string.IsNullOrWhiteSpace(skipReason))
            return PromotionVerdict.No("--skip-promotion needs a reason in quotes, e.g. --skip-promotion \"hotfix for the payments outage\".");
        return new PromotionVerdict(null, new PromotionRecord { From = target.PromoteFrom, SkippedBy = user.Id, SkipReason = skipReason.Trim() });
    }

    /// <summary>/promote without environments: the default environment from what it promotes from; with one, the environment that promotes from it.</summary>
    public PromotionRoute Route(string? from, string? to)
    {
        string Known() => string.Join(", ", settings.Environments.Where(e => e.Value.PromoteFrom.Length > 0).Select(e => $"{e.Value.PromoteFrom} → {e.Key}"));
        if (to is null)
        {
            var targets = settings.Environments.Where(e => from is null ? e.Key == settings.DefaultEnvironment : string.Equals(e.Value.PromoteFrom, from, StringComparison.OrdinalIgnoreCase)).ToList();
            if (targets.Count != 1 || targets[0].Value.PromoteFrom.Length == 0)
                return PromotionRoute.No(from is null
                    ? $"{settings.DefaultEnvironment} promotes from no environment (ChatOps:Environments:{settings.DefaultEnvironment}:PromoteFrom). Name them: /promote <tag> <from> <to>. Configured: {(Known() is { Length: > 0 } k ? k : "none")}."
                    : $"No single environment promotes from {from}. Name it: /promote <tag> {from} <to>. Configured: {(Known() is { Length: > 0 } k2 ? k2 : "none")}.");
            to = targets[0].Key;
        }
        var expected = settings.Environments[to].PromoteFrom;
        if (expected.Length == 0)
            return PromotionRoute.No($"{to} promotes from no environment (set ChatOps:Environments:{to}:PromoteFrom); use /release <tag> {to}.");
        if (from is not null && !string.Equals(from, expected, StringComparison.OrdinalIgnoreCase))
            return PromotionRoute.No($"{to} promotes from {expected}, not from {from}. /promote <tag> {expected} {to}.");
        return new PromotionRoute(null, expected, to);
    }

    /// <summary>The promotion to record on the new release, or the refusal that says what is missing and when it would be allowed.</summary>
    public static PromotionVerdict Check(string environment, EnvironmentSettings target, string tag, IReadOnlyList<Release> sourceHistory, DateTimeOffset now)
    {
        var from = target.PromoteFrom;
        var ofTag = sourceHistory.Where(r => r.Kind == ReleaseKind.Release && r.Tag == tag).OrderByDescending(r => r.Id).ToList();
        if (ofTag.FirstOrDefault(r => r.State == ReleaseState.Released) is not { } source)
        {
            var running = ofTag.FirstOrDefault(r => r.IsActive);
            var why = running is not null
                ? $"release #{running.Id} of {tag} on {from} is still at {running.State}"
                : ofTag.FirstOrDefault() is { } last ? $"its last release there (#{last.Id}) ended {last.State}" : $"{tag} was never released there";
            return PromotionVerdict.No($"{environment} takes only what {from} released: {tag} has not reached Released on {from} ({why}). "
                + $"/release {tag} {from} first{Bake(target, ", then wait {0}")}, then /promote {tag}; an approver may override with --skip-promotion \"<reason>\".");
        }
        if (source.RolledBackBy(sourceHistory) is { } rollback)
            return PromotionVerdict.No($"{tag} was rolled back on {from} by rollback #{rollback.Id} ({rollback.Requester}) after release #{source.Id}: "
                + $"it is not promoted to {environment}. Release a fixed tag to {from} first.");
        if (source.Outputs.Bake is { } bake && (bake.AskedAt is not null || bake.LastVerdict != ChatOps.Core.Bake.BakeVerdict.Passed))
            return PromotionVerdict.No($"Release #{source.Id} of {tag} on {from} did not pass its bake: it could not be judged ({bake.LastReason}) and was accepted by a person. "
                + $"{environment} takes only what passed its bake on {from}: release {tag} to {from} again under traffic, or an approver may override with --skip-promotion \"<reason>\".");
        var releasedAt = ReleasedAt(source);
        var allowedFrom = releasedAt + target.MinBake;
        if (now < allowedFrom)
            return PromotionVerdict.No($"{tag} reached Released on {from} at {releasedAt:yyyy-MM-dd HH:mm} UTC (#{source.Id}), {Words(now - releasedAt)} ago; "
                + $"{environment} wants it to bake there for {Words(target.MinBake)}: allowed from {allowedFrom:yyyy-MM-dd HH:mm:ss} UTC (in {Words(allowedFrom - now)}), then /promote {tag}.");
        var images = ImagesOf(source);
        var missing = target.Services.Where(s => !images.ContainsKey(s.Name)).Select(s => s.Name).ToList();
        if (missing.Count > 0)
            return PromotionVerdict.No($"Release #{source.Id} of {tag} on {from} recorded no image for {string.Join(", ", missing)}, so {environment} cannot be given "
                + $"the same images. Make {from} run the same services, or an approver may override with --skip-promotion \"<reason>\".");
        return new PromotionVerdict(null, new PromotionRecord { From = from, SourceReleaseId = source.Id, Sha = source.Outputs.HeadSha, Images = images });
    }

    /// <summary>
    /// At the approval, the last moment before the point of no return: a promotion checked when it was asked can have
    /// gone stale while it waited, because its source environment took the tag back since. Null while it still holds.
    /// </summary>
    public static string? StillHolds(Release promoted, IReadOnlyList<Release> sourceHistory)
    {
        if (promoted.Outputs.Promotion is not { SkippedBy: null, SourceReleaseId: { } sourceId } promotion)
            return null;
        var from = promotion.From;
        var stop = $"release #{promoted.Id} of {promoted.Tag} is not approved and nothing goes to {promoted.Environment}. /reject {promoted.Id}";
        // Not found means it fell out of the recent history: unknown is not safe to deploy.
        if (sourceHistory.FirstOrDefault(r => r.Id == sourceId) is not { } source)
            return $"Release #{sourceId} on {from}, which this promotion copies, is no longer in {from}'s recent history, so the promotion cannot be checked again: {stop}, then /promote {promoted.Tag} again.";
        if (source.RolledBackBy(sourceHistory) is { } rollback)
            return $"{source.Tag} was rolled back on {from} by rollback #{rollback.Id} ({rollback.Requester}) after release #{source.Id}, since this promotion was asked: "
                + $"{stop}, and release a fixed tag to {from} first.";
        // A rollback still running there may be taking the tag away: wait for its outcome rather than race it.
        if (sourceHistory.FirstOrDefault(r => r.Kind == ReleaseKind.Rollback && r.IsActive && r.Id > source.Id && r.Tag != source.Tag) is { } rolling)
            return $"{from} is being rolled back to {rolling.Tag} (rollback #{rolling.Id}), which may take {source.Tag} away: release #{promoted.Id} is not approved now. "
                + $"Approve again once that rollback has ended, or /reject {promoted.Id}.";
        return null;
    }

    /// <summary>When a release reached Released: recorded at its end; for records older than that, its last step's end.</summary>
    public static DateTimeOffset ReleasedAt(Release release) =>
        release.Outputs.ReleasedAt ?? release.Steps.Where(s => s.FinishedAt is not null).Select(s => s.FinishedAt!.Value).DefaultIfEmpty(release.UpdatedAt).Max();

    /// <summary>
    /// Per service, the exact image the source's machines landed on: pinned to the digest Fly reported (so a re-pushed
    /// tag cannot change what production gets), else the reference as deployed.
    /// </summary>
    private static Dictionary<string, string> ImagesOf(Release source)
    {
        var images = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var machine in source.Outputs.Machines.Where(m => m.After is not null))
            images.TryAdd(machine.Service, DeployStep.Pin(machine.After!, machine.Digest));
        return images;
    }


    private static string Bake(EnvironmentSettings target, string format) =>
        target.MinBake > TimeSpan.Zero ? string.Format(CultureInfo.InvariantCulture, format, Words(target.MinBake)) : "";

    public static string Words(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
            span = TimeSpan.Zero;
        if (span.TotalMinutes < 1)
            return $"{Math.Ceiling(span.TotalSeconds):0}s";
        if (span.TotalHours < 1)
            return $"{(int)span.TotalMinutes}m{(span.Seconds > 0 ? $"{span.Seconds}s" : "")}";
        return span.TotalDays < 1 ? $"{(int)span.TotalHours}h{(span.Minutes > 0 ? $"{span.Minutes}m" : "")}" : $"{(int)span.TotalDays}d{(span.Hours > 0 ? $"{span.Hours}h" : "")}";
    }
}

/// <summary>Allowed with the promotion to record, or refused with the reason.</summary>
public sealed record PromotionVerdict(string? Refusal, PromotionRecord? Promotion)
{
    public static PromotionVerdict No(string refusal) => new(refusal, null);
}

/// <summary>Where a /promote goes, or why it cannot be worked out.</summary>
public sealed record PromotionRoute(string? Refusal, string? From, string? To)
{
    public static PromotionRoute No(string refusal) => new(refusal, null, null);
}
