using System.Text;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;
using ChatOps.Core.Steps;

namespace ChatOps.Core.Chat;

/// <summary>/release --dry-run: runs the checks and reads what would happen, writes nothing anywhere.</summary>
public sealed class DryRunPlanner(ChatOpsSettings settings, ReleasePorts ports, RunnerSettings runnerSettings, IEnvironmentStore environments, TimeProvider clock)
{
    public async Task<string> PlanAsync(string environment, string tag, CancellationToken cancellationToken)
    {
        var env = settings.Environments[environment];
        var release = new Release { Environment = environment, Tag = tag };
        var context = new StepContext(release, env, ports, runnerSettings, environments, clock, _ => Task.CompletedTask);
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
        try
        {
            var preview = await MigrationPreviewer.PreviewAsync(ports.DeployTarget, env.Migrations, cancellationToken);
            text.Append(preview is null
                ? "  Migrations: none configured\n"
                : $"  Migrations: {preview.Pending.Count} pending ({preview.Current ?? "empty"} → {preview.Head})\n"
                    + string.Concat(preview.Pending.Select(p => $"    • {p.Revision} {p.Message}\n")));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            text.Append($"  ⚠️ Migrations: could not read them: {e.Message}\n");
        }
        foreach (var service in env.Services)
            text.Append($"  Deploy {service.Name}: {service.ImageFor(tag)} ({service.FlyApp})\n");
        text.Append($"  Then: verify health and version, {env.SmokeTests.Count} smoke test(s), observability {(env.Observability.IsConfigured ? "check" : "skipped")}, CHANGELOG.md section.");
        return text.ToString();
    }
}
