using ChatOps.Core.Ports;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>Runbook §5: every machine of every service onto the release image, one machine at a time.</summary>
public sealed class DeployStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Deploy;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var targets = context.Environment.Services.Select(s => (s.Name, s.FlyApp, Image: s.ImageFor(release.Tag)));
        var count = await RollAsync(context, targets, release.Tag, cancellationToken);
        return StepOutcome.Done($"{count} machine{(count == 1 ? "" : "s")} on {release.Tag}");
    }

    /// <summary>
    /// Rolls each service's machines to its image, recording the image each machine ran before the first
    /// time it is seen, so a resumed deploy and a later rollback both know where every machine came from.
    /// </summary>
    public static async Task<int> RollAsync(StepContext context, IEnumerable<(string Service, string App, string Image)> targets, string tag, CancellationToken cancellationToken)
    {
        var release = context.Release;
        var count = 0;
        foreach (var (service, app, image) in targets)
        {
            var machines = await context.Ports.DeployTarget.ListMachinesAsync(app, cancellationToken);
            foreach (var machine in machines.OrderBy(m => m.Id, StringComparer.Ordinal))
            {
                var record = release.Outputs.Machines.FirstOrDefault(m => m.MachineId == machine.Id);
                if (record is null)
                {
                    record = new MachineImage { Service = service, App = app, MachineId = machine.Id, Before = machine.Image };
                    release.Outputs.Machines.Add(record);
                    await context.CheckpointAsync(cancellationToken);
                }
                await context.Ports.DeployTarget.DeployAsync(app, machine.Id, image, context.Environment.DeployTimeout, cancellationToken);
                record.After = image;
                await context.CheckpointAsync(cancellationToken);
                count++;
            }
            await context.Environments.RecordServiceAsync(release.Environment,
                new DeployedService(service, tag, image, release.Id, context.Clock.GetUtcNow()), cancellationToken);
        }
        return count;
    }
}
