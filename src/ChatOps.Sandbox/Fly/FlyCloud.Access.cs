namespace ChatOps.Sandbox;

public sealed partial class FlyCloud
{
    // Runs `action` on an up-to-date machine under its app's lock; unknown app or machine answers Fly's 404.
    internal IResult WithMachine(string app, string id, Func<FlyMachine, IResult> action)
    {
        if (FindApp(app) is not { } state)
        {
            return FlyJson.MachineNotFound();
        }

        lock (state.Gate)
        {
            return state.Machines.FirstOrDefault(m => m.Id == id) is { } machine
                ? action(Advance(machine, DateTimeOffset.UtcNow))
                : FlyJson.MachineNotFound();
        }
    }

    // Null when the machine does not exist. An older version never reaches a state again: it was replaced.
    // A destroyed machine still exists for this (GET and /wait answer it with state destroyed).
    internal bool? HasReached(string app, string id, string state, string version)
    {
        if (FindApp(app) is not { } appState)
        {
            return null;
        }

        lock (appState.Gate)
        {
            if (appState.Machines.FirstOrDefault(m => m.Id == id) is not { } machine)
            {
                return null;
            }

            Advance(machine, DateTimeOffset.UtcNow);
            return MachineLifecycle.HasReached(machine, state) && (version.Length == 0 || version == machine.InstanceId);
        }
    }
}
