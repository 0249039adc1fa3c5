using System.Text.RegularExpressions;
using ChatOps.Core.Bake;
using ChatOps.Core.Rules;
using ChatOps.Core.Settings;
using Microsoft.Extensions.Options;

namespace ChatOps.Host.Hosting;

/// <summary>Checks the ChatOps section at start-up; each failure names the key to fix.</summary>
public sealed class ChatOpsSettingsValidator : IValidateOptions<ChatOpsSettings>
{
    public ValidateOptionsResult Validate(string? name, ChatOpsSettings options)
    {
        var errors = new List<string>();
        if (options.Mode is not ("auto" or "sandbox" or "live"))
            errors.Add($"ChatOps:Mode must be auto, sandbox or live, not '{options.Mode}'.");
        try
        {
            _ = new Regex(options.TagPattern, RegexOptions.ECMAScript);
        }
        catch (ArgumentException e)
        {
            errors.Add($"ChatOps:TagPattern is not a valid regular expression: {e.Message}");
        }
        if (options.Environments.Count == 0)
            errors.Add("ChatOps:Environments names no environment to release to: name one with its services (docs/deploy-fly.md §3).");
        else if (!options.Environments.ContainsKey(options.DefaultEnvironment))
            errors.Add($"ChatOps:DefaultEnvironment '{options.DefaultEnvironment}' is not one of ChatOps:Environments ({string.Join(", ", options.Environments.Keys)}).");
        foreach (var user in options.Access.Releasers.Concat(options.Access.Approvers))
        {
            if (!user.Contains(':', StringComparison.Ordinal) || user.EndsWith(':'))
                errors.Add($"ChatOps:Access entry '{user}' must look like telegram:123, slack:U0123 or console:alice.");
        }
        errors.AddRange(AccessRules.NeverGranted(options.Access));
        if (options.Access.ApprovalTimeout <= TimeSpan.Zero)
            errors.Add("ChatOps:Access:ApprovalTimeout must be positive, e.g. 00:30:00.");
        foreach (var (env, settings) in options.Environments)
        {
            errors.AddRange(ValidateEnvironment($"ChatOps:Environments:{env}", settings));
            if (settings.PromoteFrom.Length > 0 && (!options.Environments.ContainsKey(settings.PromoteFrom) || string.Equals(settings.PromoteFrom, env, StringComparison.OrdinalIgnoreCase)))
                errors.Add($"ChatOps:Environments:{env}:PromoteFrom '{settings.PromoteFrom}' must name another of ChatOps:Environments ({string.Join(", ", options.Environments.Keys)}).");
            if (settings.MinBake < TimeSpan.Zero)
                errors.Add($"ChatOps:Environments:{env}:MinBake must not be negative.");
            errors.AddRange(ValidateBake($"ChatOps:Environments:{env}:Bake", settings.Bake));
            if (settings.Url.Length > 0 && !Uri.TryCreate(settings.Url, UriKind.Absolute, out _))
                errors.Add($"ChatOps:Environments:{env}:Url must be an absolute URL.");
            errors.AddRange(FreezeCalendar.Problems($"ChatOps:Environments:{env}:Freezes", settings.Freezes));
        }
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    // Interval is not held to a minute here: the tests bake in seconds. Fly's Prometheus lags up to a minute, and the
    // docs say so; a shorter interval only asks more often, never judges more.
    private static IEnumerable<string> ValidateBake(string key, BakeSettings bake)
    {
        if (bake.Duration < TimeSpan.Zero)
            yield return $"{key}:Duration must not be negative (zero: no bake).";
        if (bake.IsEnabled && (bake.Interval <= TimeSpan.Zero || bake.Interval > bake.Duration))
            yield return $"{key}:Interval must be positive and not longer than Bake:Duration, e.g. 00:01:00.";
        if (bake.MinRequests < 0 || bake.ErrorRatioMargin < 0 || bake.LatencyMargin < 0 || bake.LatencyNoise < TimeSpan.Zero)
            yield return $"{key}: MinRequests, ErrorRatioMargin, LatencyMargin and LatencyNoise must not be negative.";
        for (var i = 0; i < bake.Checks.Count; i++)
        {
            var check = bake.Checks[i];
            if (check.Name.Length == 0 || check.Query.Length == 0)
                yield return $"{key}:Checks:{i} needs a Name and a Query.";
            if (check.Compare is not (BakeSettings.Baseline or BakeSettings.Absolute))
                yield return $"{key}:Checks:{i}:Compare must be {BakeSettings.Baseline} or {BakeSettings.Absolute}, not '{check.Compare}'.";
        }
    }

    private static IEnumerable<string> ValidateEnvironment(string key, EnvironmentSettings env)
    {
        if (env.Services.Count == 0)
            yield return $"{key}:Services needs at least one service.";
        for (var i = 0; i < env.Services.Count; i++)
        {
            var s = env.Services[i];
            var k = $"{key}:Services:{i}";
            if (s.Name.Length == 0)
                yield return $"{k}:Name is missing.";
            if (s.FlyApp.Length == 0)
                yield return $"{k}:FlyApp is missing.";
            if (!s.Image.Contains("{tag}", StringComparison.Ordinal))
                yield return $"{k}:Image must contain {{tag}}, e.g. registry.fly.io/my-api:{{tag}}.";
            if (!Uri.TryCreate(s.HealthUrl, UriKind.Absolute, out _))
                yield return $"{k}:HealthUrl must be an absolute URL.";
            if (s.VersionUrl.Length > 0 && !Uri.TryCreate(s.VersionUrl, UriKind.Absolute, out _))
                yield return $"{k}:VersionUrl must be an absolute URL.";
        }
        // The release's migrations are in the release's image of the service that runs on the migrations app.
        if (env.Migrations.App.Length > 0 && env.Services.Count > 0 && env.Services.All(s => s.FlyApp != env.Migrations.App))
            yield return $"{key}:Migrations:App '{env.Migrations.App}' must be the FlyApp of one of its Services: the migrations run from that service's release image.";
        if (env.Backup.Mode is not ("pg_dump" or "fly-snapshot"))
            yield return $"{key}:Backup:Mode must be pg_dump or fly-snapshot, not '{env.Backup.Mode}'.";
        if (env.Backup.Mode == "pg_dump" && env.DatabaseUrl.Length == 0)
            yield return $"{key}:DatabaseUrl is needed for Backup:Mode pg_dump.";
        if (env.Backup.Mode == "fly-snapshot" && env.Backup.App.Length == 0 && env.Migrations.App.Length == 0)
            yield return $"{key}:Backup:App (or Migrations:App) names the app whose volume is snapshotted.";
        if (env.Deploy.Order is not (DeploySettings.Parallel or DeploySettings.InOrder))
            yield return $"{key}:Deploy:Order must be parallel or in-order, not '{env.Deploy.Order}'.";
        if (env.Rollback.Strategy is not (RollbackSettings.Rolling or RollbackSettings.Immediate))
            yield return $"{key}:Rollback:Strategy must be rolling or immediate, not '{env.Rollback.Strategy}'.";
        if (env.Backup.Keep < 1)
            yield return $"{key}:Backup:Keep must be at least 1.";
        foreach (var (name, value) in new[] { ("DumpTimeout", env.Backup.DumpTimeout), ("RestoreTimeout", env.Backup.RestoreTimeout), ("RestoreLockTimeout", env.Backup.RestoreLockTimeout) })
        {
            if (value <= TimeSpan.Zero)
                yield return $"{key}:Backup:{name} must be a positive duration (was {value}).";
        }
        foreach (var test in env.SmokeTests.Where(t => t.Name.Length == 0 || t.Url.Length == 0))
            yield return $"{key}:SmokeTests entries need a Name and a Url ('{test.Name}').";
    }
}
