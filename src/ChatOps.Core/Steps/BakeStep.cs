using ChatOps.Core.Bake;
using ChatOps.Core.Releases;

namespace ChatOps.Core.Steps;

/// <summary>
/// Watches the release under real traffic for the environment's Bake:Duration, one turn per wake: the window is stored
/// at the first turn (a crash resumes it with the same deadline), and every Bake:Interval the metrics and the machines
/// are judged. Passed at the deadline releases it; a failure fails it (and rolls back where AutoRollback says so, as
/// for Verify); a bake that cannot judge stops for a person, whose /resume accepts the release.
/// </summary>
public sealed class BakeStep : IReleaseStep
{
    public ReleaseState State => ReleaseState.Bake;

    public async Task<StepOutcome> RunAsync(StepContext context, CancellationToken cancellationToken)
    {
        var settings = context.Environment.Bake;
        if (!settings.IsEnabled)
            return StepOutcome.Skip("no bake configured (ChatOps:Environments:<env>:Bake:Duration)");
        var outputs = context.Release.Outputs;
        if (outputs.Bake?.EndedEarly is { } ended)
            return ended.Faulty
                ? StepOutcome.Fail($"marked faulty by {ended.By} during the bake: {ended.Reason}")
                : StepOutcome.Done($"bake skipped by {ended.By}: {ended.Reason}");
        if (outputs.Bake is { AskedAt: not null } asked)
            return StepOutcome.Done($"accepted by a person after the bake could not judge it: {asked.LastReason}");

        var deploy = context.Release.Steps.FirstOrDefault(s => s.Name == nameof(ReleaseState.Deploy));
        var deployStartedAt = deploy?.StartedAt ?? context.Release.CreatedAt;
        var services = context.Environment.Services;
        var targets = services.Select(s => new BakeTarget(s.Name, s.FlyApp)).ToList();
        var now = context.Clock.GetUtcNow();
        var turn = await new BakeTurn(context.Ports.Metrics).TakeAsync(outputs.Bake, deployStartedAt, targets, settings, now, async ct =>
        {
            var machines = new List<BakeMachine>();
            foreach (var service in services)
                machines.AddRange((await context.Ports.DeployTarget.ListMachinesAsync(service.FlyApp, ct)).Select(m => new BakeMachine(service.Name, m.Id, m.State, m.Healthy)));
            return machines;
        }, cancellationToken);

        outputs.Bake = turn.Record with { AskedAt = turn.Next.Move == BakeMove.Ask ? now : null };
        context.Release.Step(nameof(ReleaseState.Bake)).WakeAt = turn.Next.WakeAt;
        return turn.Next.Move switch
        {
            BakeMove.Wait => new StepOutcome(StepResult.Watching, turn.Next.Message),
            BakeMove.Pass => StepOutcome.Done(turn.Next.Message),
            BakeMove.Fail => StepOutcome.Fail(turn.Next.Message),
            // Not a failure (nothing showed the release bad) and not a pass: a person decides, /resume or /rollback.
            _ => new StepOutcome(StepResult.Failed, turn.Next.Message + $" /resume {context.Release.Id} accepts it; /rollback {context.Release.Environment} rolls it back.") { OutcomeUnknown = true },
        };
    }
}
