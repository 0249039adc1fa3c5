using System.Text;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;
using ChatOps.Core.Store;

namespace ChatOps.Core.Commands;

/// <summary>/release --dry-run: runs the checks and reads what would happen, writes nothing anywhere.</summary>
public sealed class DryRunPlanner(ChatOpsSettings settings, ReleasePorts ports, RunnerSettings runnerSettings, IEnvironmentStore environments, TimeProvider clock)
{
    public async Task<string> PlanAsync(string environment, string tag, CancellationToken cancellationToken)
    {
        var env = settings.Environments[environment];
        var release = new Release { Environment = environment, Tag = tag };
        var context = new StepContext(release, env, ports, runnerSettings, environments, clock, new StepReports(_ => Task.CompletedTask));
        var text = new StringBuilder($"Dry run of {tag} → {environment} (nothing will be changed):\n");

        var preflight = await PreflightStep.CheckAsync(context, cancellationToken);
        text.Append(preflight.Ok
            ? $"  ✅ Preflight: {PreflightStep.Short(preflight.Sha)}, {string.Join(", ", preflight.Passed)} passed\n"
            : $"  ❌ Preflight: {preflight.Problem}\n");
        var existing = await ports.SourceControl.GetTagCommitAsync(tag, cancellationToken);
        text.Append(existing switch
        {
            null => $"  Tag: would create {tag} on {PreflightStep.Short(preflight.Sha)}\n",
            _ when existing == preflight.Sha => $"  Tag: {tag} already on {PreflightStep.Short(existing)}\n",
            _ => $"  ❌ Tag: {tag} already exists on {PreflightStep.Short(existing)}, not on the head {PreflightStep.Short(preflight.Sha)}\n",
        });
        text.Append($"  Backup: {env.Backup.Mode}\n");
        var images = await PreflightStep.CheckImagesAsync(context, cancellationToken);
        text.Append(images.Problem is { } missing ? $"  ❌ Images: {missing}\n" : "");
        // The release's migrations are known only to its image, read in a machine started from it: a dry run starts none.
        text.Append(env.Migrations.App.Length == 0
            ? "  Migrations: none configured\n"
            : $"  Migrations: read at the approval in a temporary machine of {env.Migrations.App} on {tag}'s image, with their SQL and whether they are additive\n");
        try
        {
            var running = await RunningTagAsync(env, cancellationToken);
            // The tag does not exist before the release makes it: the commit it would name does.
            var lines = ReleaseChanges.Of(running, await ports.SourceControl.GetChangesAsync(running, preflight.Sha, cancellationToken)).Describe().ToList();
            text.Append("  In the release: ").Append(lines[0]).Append('\n');
            foreach (var line in lines.Skip(1))
                text.Append("  ").Append(line).Append('\n');
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            text.Append($"  ⚠️ In the release: could not compare with the running release: {e.Message}\n");
        }
        foreach (var service in env.Services)
            text.Append($"  Deploy {service.Name}: {service.ImageFor(tag)} ({service.FlyApp}){(images.Digests.TryGetValue(service.Name, out var digest) ? $", pinned to {digest[..Math.Min(19, digest.Length)]}… at the approval" : "")}\n");
        text.Append($"  Then: verify health and version, {env.SmokeTests.Count} smoke test(s), observability {(env.Observability.IsConfigured ? "check" : "skipped")}, CHANGELOG.md section.");
        return text.ToString();
    }

    // What the first service answers as its version: the tag the release would replace.
    private async Task<string?> RunningTagAsync(EnvironmentSettings env, CancellationToken cancellationToken)
    {
        if (env.Services.FirstOrDefault(s => s.VersionUrl.Length > 0) is not { } service)
            return null;
        var version = await ports.Probes.VersionAsync(service.VersionUrl, env.ApiKey, cancellationToken);
        return version.Ok ? version.Value : null;
    }
}
