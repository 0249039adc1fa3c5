using ChatOps.Core.Ports;
using ChatOps.Core.Releases;
using ChatOps.Core.Runner;

namespace ChatOps.Core.Decisions;

/// <summary>The answer to a person's decision: accepted or not, and the words to show them.</summary>
public sealed record Decision(bool Accepted, string Message)
{
    public static Decision Yes(string message) => new(true, message);

    public static Decision No(string message) => new(false, message);
}

public sealed record StartResult(Release? Release, string? Refusal)
{
    public static StartResult No(string refusal) => new(null, refusal);
}

/// <summary>Decides on a release while holding it, so no step and no other decision changes it meanwhile.</summary>
public sealed class HeldRelease(LeaseKeeper leases, IReleaseStore releases)
{
    public async Task<Decision> DecideAsync(long releaseId, Func<Release?, CancellationToken, Task<Decision>> decide, CancellationToken cancellationToken)
    {
        try
        {
            return await leases.HoldAsync(releaseId, async leased => await decide(await releases.GetAsync(releaseId, cancellationToken), leased), cancellationToken);
        }
        catch (LeaseHeldException held)
        {
            return Decision.No(held.Message);
        }
        catch (LeaseLostException)
        {
            return Decision.No($"Another ChatOps instance took release #{releaseId} over while this was being decided; nothing changed. Try again.");
        }
    }
}
