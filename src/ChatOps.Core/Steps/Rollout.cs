using System.Runtime.ExceptionServices;
using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Settings;

namespace ChatOps.Core.Steps;

public sealed record RolloutTarget(string Service, string App, string Image);

/// <param name="ServicesAtOnce">Every service rolls at the same time; otherwise one after the other, in the listed order.</param>
/// <param name="MachinesAtOnce">Every machine of a service is updated at the same time; otherwise one at a time.</param>
public sealed record RolloutShape(bool ServicesAtOnce, bool MachinesAtOnce)
{
    public static RolloutShape ForDeploy(EnvironmentSettings environment) => new(environment.Deploy.InParallel, MachinesAtOnce: false);

    // Services keep Deploy's order, because an in-order environment usually has a reason (an API before its workers).
    public static RolloutShape ForRollback(EnvironmentSettings environment) =>
        new(environment.Deploy.InParallel, environment.Rollback.Strategy == RollbackSettings.Immediate);
}

/// <summary>
/// Puts services' machines on their images in the given shape. Every machine is checkpointed on its own, so a
/// resumed rollout skips what is done; the checkpoint saves the whole release record, so concurrent lanes take
/// one gate for every change to the release's outputs and every checkpoint. When one service fails, the others
/// stop before their next machine (a machine half-way through an update is never abandoned) and the first
/// failure is rethrown once every lane has stopped.
/// </summary>
public sealed class Rollout(StepContext context, string tag, RolloutShape shape, Func<RolloutTarget, CancellationToken, Task>? whenServiceBack = null)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (int Done, int Total, string? Now)> _progress = new(StringComparer.Ordinal);
    private int _count;
    private Exception? _firstFailure;

    public async Task<int> RunAsync(IReadOnlyList<RolloutTarget> targets, CancellationToken cancellationToken)
    {
        if (shape.ServicesAtOnce)
        {
            await AllAsync(targets.Select(t => ServiceAsync(t, cancellationToken)));
        }
        else
        {
            foreach (var target in targets)
                await ServiceAsync(target, cancellationToken);
        }
        return _count;
    }

    private async Task ServiceAsync(RolloutTarget target, CancellationToken cancellationToken)
    {
        try
        {
            var machines = (await context.Ports.DeployTarget.ListMachinesAsync(target.App, cancellationToken))
                .OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
            // Counted without taking the gate (a wait there would let another lane's failure overtake this lane's
            // first machine): the card says it with the first machine.
            _progress[target.Service] = (0, machines.Count, null);
            if (shape.MachinesAtOnce)
            {
                await AllAsync(machines.Select((m, i) => MachineAsync(target, m, $"{i + 1}/{machines.Count}", cancellationToken)));
            }
            else
            {
                foreach (var (machine, i) in machines.Select((m, i) => (m, i)))
                {
                    if (Volatile.Read(ref _firstFailure) is not null)
                        return; // another service failed: stop between two machines and leave this service unrecorded
                    await MachineAsync(target, machine, $"{i + 1}/{machines.Count}", cancellationToken);
                }
            }

            await LockedAsync(() => context.Environments.RecordServiceAsync(context.Release.Environment,
                new DeployedService(target.Service, tag, target.Image, context.Release.Id, context.Clock.GetUtcNow()), cancellationToken), cancellationToken);
            if (whenServiceBack is not null)
                await whenServiceBack(target, cancellationToken);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _firstFailure, e, null);
            throw;
        }
    }

    private async Task MachineAsync(RolloutTarget target, MachineStatus machine, string position, CancellationToken cancellationToken)
    {
        var record = await LockedAsync(async () =>
        {
            var found = context.Release.Outputs.Machines.FirstOrDefault(m => m.MachineId == machine.Id);
            if (found is null || found.After != target.Image)
                await ReportAsync(target.Service, null, null, machine.Id, cancellationToken);
            if (found is not null)
                return found;
            found = new MachineImage { Service = target.Service, App = target.App, MachineId = machine.Id, Before = machine.Image };
            context.Release.Outputs.Machines.Add(found);
            await context.CheckpointAsync(cancellationToken);
            return found;
        }, cancellationToken);

        // A resumed rollout finds the machines it already finished healthy on the image: nothing to ask Fly.
        var done = record.After == target.Image && machine is { State: "started", Healthy: true } && machine.Image == target.Image;
        var name = $"{target.Service}: machine {machine.Id} ({position})";
        if (!done)
            await context.DetailAsync($"{name} {ImageName(machine.Image)} → {tag}…", null, cancellationToken);
        MachineStatus landed;
        try
        {
            landed = done ? machine : await context.Ports.DeployTarget.DeployAsync(target.App, machine.Id, target.Image, context.Environment.DeployTimeout, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Known to the other lanes before anything else happens, so none starts another machine after it.
            Interlocked.CompareExchange(ref _firstFailure, e, null);
            await context.DetailAsync($"{name} failed: {e.Message}", null, cancellationToken);
            throw;
        }
        await context.DetailAsync(done ? $"{name} already on {tag}" : $"{name} on {tag}, {landed.State}{(landed.Healthy ? " and healthy" : "")}", null, cancellationToken);

        await LockedAsync(async () =>
        {
            _count++;
            var (doneSoFar, _, _) = _progress.GetValueOrDefault(target.Service);
            await ReportAsync(target.Service, doneSoFar + 1, null, null, cancellationToken);
            if (done && (landed.Digest is null || record.Digest == landed.Digest))
                return 0;
            record.After = target.Image;
            record.Digest = landed.Digest;
            await context.CheckpointAsync(cancellationToken);
            return 0;
        }, cancellationToken);
    }

    // "registry.fly.io/myloware-api:v0.1.0" → "myloware-api:v0.1.0": the registry is the same for every machine.
    private static string ImageName(string image) => image[(image.LastIndexOf('/') + 1)..];

    // Called under the gate: "api 2/3 on v0.2.0 (updating m-3) · worker 0/2".
    private Task ReportAsync(string service, int? done, int? total, string? now, CancellationToken cancellationToken)
    {
        var (d, t, _) = _progress.GetValueOrDefault(service);
        _progress[service] = (done ?? d, total ?? t, done is null ? now : null);
        var text = string.Join(" · ", _progress.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p =>
            $"{p.Key} machine {Math.Min(p.Value.Done + (p.Value.Now is null ? 0 : 1), p.Value.Total)}/{p.Value.Total}{(p.Value.Now is { } id ? $" (updating {id})" : p.Value.Done == p.Value.Total ? " done" : "")}"));
        return context.ReportAsync($"{text} → {tag}", cancellationToken);
    }

    private async Task<T> LockedAsync<T>(Func<Task<T>> action, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await action();
        }
        finally
        {
            _gate.Release();
        }
    }

    private Task LockedAsync(Func<Task> action, CancellationToken cancellationToken) =>
        LockedAsync(async () =>
        {
            await action();
            return 0;
        }, cancellationToken);

    // Waits for every lane, then rethrows the failure that happened first rather than the first lane's.
    private async Task AllAsync(IEnumerable<Task> lanes)
    {
        try
        {
            await Task.WhenAll(lanes);
        }
        catch when (Volatile.Read(ref _firstFailure) is { } first)
        {
            ExceptionDispatchInfo.Throw(first);
        }
    }
}
