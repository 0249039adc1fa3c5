namespace ChatOps.Sandbox;

// A machine's own transitions, applied lazily from timestamps whenever it is read (callers hold its app's lock):
// created or replacing → started, checks turning passing, a main process exiting.
internal static class MachineLifecycle
{
    public static FlyMachine Advance(FlyMachine m, DateTimeOffset now)
    {
        if (m.State is "replacing" or "created" && m.StartsAt is { } startsAt && now >= startsAt)
        {
            m.State = "started";
            m.StartsAt = null;
            m.UpdatedAt = startsAt;
            m.Events.Insert(0, new MachineEvent("start", "started", "flyd", startsAt));
            if (m.Sleep is { } sleep)
            {
                m.ExitsAt = startsAt + sleep;
            }

            // The command runs in the background; its end is applied by Exit under the app's lock.
            if (m.Launch is { } launch)
            {
                m.Launch = null;
                launch(m);
            }
        }

        if (m.State == "started" && m.ChecksPassAt is { } passAt && now >= passAt)
        {
            m.Checks = FlyCloud.ConfiguredChecks(m.Config, passAt);
            m.ChecksPassAt = null;
        }

        if (m.State == "started" && m.ExitsAt is { } exitsAt && now >= exitsAt)
        {
            Exit(m, 0, exitsAt);
        }

        return m;
    }

    // The main process ended: no restart (the simulator models restart policy "no" only), and with auto_destroy
    // the machine goes away. Real flyd then adds a destroy event, so clients must look for the newest `exit`.
    public static void Exit(FlyMachine m, int exitCode, DateTimeOffset at)
    {
        m.State = "stopped";
        m.ExitsAt = null;
        m.ChecksPassAt = null;
        m.Checks = [];
        m.UpdatedAt = at;
        m.Events.Insert(0, new MachineEvent("exit", "stopped", "flyd", at, exitCode));
        if (m.AutoDestroy)
        {
            Destroy(m, at, "flyd");
        }
    }

    public static void Destroy(FlyMachine m, DateTimeOffset at, string source)
    {
        m.State = "destroyed";
        m.StartsAt = null;
        m.ExitsAt = null;
        m.ChecksPassAt = null;
        m.Launch = null;
        m.Lease = null;
        m.UpdatedAt = at;
        m.Events.Insert(0, new MachineEvent("destroy", "destroyed", source, at));
    }

    // A machine that exited and was then auto-destroyed has passed through stopped. Whether flyd's /wait answers
    // `stopped` for it is not verified offline; answering it keeps a waiter from hanging on a machine that is gone.
    public static bool HasReached(FlyMachine m, string state) =>
        m.State == state || (state == "stopped" && m.Destroyed && m.Events.Any(e => e.Type == "exit"));
}
