using ChatOps.Core.Releases;
using ChatOps.Core.Rules;
using ChatOps.Core.Store;

namespace ChatOps.Core.Runner;

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
