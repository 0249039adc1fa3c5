using ChatOps.Core.Ports;
using ChatOps.Host.Doctor;

namespace ChatOps.Host.Store;

/// <summary>The bot's own store answers.</summary>
internal sealed class StoreDoctor(IStoreProbe store) : IDoctorChecks
{
    public string Name => "Store";

    public string GeneralFix => "check DATABASE_URL (Postgres) or ChatOps:StorePath (SQLite on the volume).";

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await store.PingAsync(cancellationToken)
                ? [DoctorCheck.Pass($"Own store ({store.Kind})", "answers.")]
                : [DoctorCheck.Problem($"Own store ({store.Kind})", "does not answer.", GeneralFix)];
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return [DoctorCheck.Problem($"Own store ({store.Kind})", $"does not answer: {e.Message}", GeneralFix)];
        }
    }
}
