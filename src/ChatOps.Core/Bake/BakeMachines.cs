namespace ChatOps.Core.Bake;

/// <summary>A machine of a service as the platform reports it during the bake.</summary>
public sealed record BakeMachine(string Service, string Id, string State, bool Healthy);

/// <summary>The Fly checks of every machine during the bake: one that stopped or fails its checks fails the bake.</summary>
public static class BakeMachines
{
    public const string Check = "machines";

    public static IEnumerable<BakeFinding> Judge(IReadOnlyList<string> services, IReadOnlyList<BakeMachine> machines)
    {
        foreach (var service in services)
        {
            var own = machines.Where(m => m.Service == service).ToList();
            var sick = own.Where(m => m.State != "started" || !m.Healthy).ToList();
            yield return own.Count == 0 ? new(Check, service, BakeVerdict.Failed, "no machine is running")
                : sick.Count > 0 ? new(Check, service, BakeVerdict.Failed, string.Join(", ", sick.Select(m => $"machine {m.Id} {(m.State != "started" ? "is " + m.State : "fails its checks")}")))
                : new(Check, service, BakeVerdict.Passed, $"{own.Count} machine{(own.Count == 1 ? "" : "s")} healthy");
        }
    }
}
