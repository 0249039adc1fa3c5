using ChatOps.Core.Ports;
using ChatOps.Host.Http;

namespace ChatOps.Host.Doctor;

/// <summary>
/// Runs every group of read-only checks, each bounded in time; a check that throws or times out is a problem row
/// with its reason, never a crash of the doctor. When the caller's budget for the whole run is spent, the rows done
/// stand and every group not finished is a problem row saying it was not checked in time.
/// </summary>
internal sealed class HostDoctor(IEnumerable<IDoctorChecks> groups) : IDoctor
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var rows = new List<DoctorCheck>();
        foreach (var group in groups)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                rows.Add(NotInTime(group));
                continue;
            }
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(CheckTimeout);
            try
            {
                // WaitAsync: a check that does not heed its token still cannot hold the report past the budget.
                rows.AddRange(await group.CheckAsync(limit.Token).WaitAsync(limit.Token));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                rows.Add(cancellationToken.IsCancellationRequested ? NotInTime(group)
                    : DoctorCheck.Problem(group.Name, e is OperationCanceledException ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.Message, group.GeneralFix));
            }
        }
        return rows;
    }

    private static DoctorCheck NotInTime(IDoctorChecks group) =>
        DoctorCheck.Problem(group.Name, "not checked in time: the doctor's time ran out first.", "run the doctor again; if it runs out again, " + group.GeneralFix);
}

/// <summary>The checks of one outside system; a failure it does not expect is reported with <see cref="GeneralFix"/>.</summary>
internal interface IDoctorChecks
{
    string Name { get; }

    string GeneralFix { get; }

    Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken);
}

internal static class DoctorText
{
    /// <summary>What a failed call says about the token, the name, or the network.</summary>
    public static string Why(Exception e) => e switch
    {
        OutsideCallException { StatusCode: 401 } => "the token was refused (401)",
        OutsideCallException { StatusCode: 403 } => "the token may not do this (403)",
        OutsideCallException { StatusCode: 404 } => "not found, or not visible to this token (404)",
        OutsideCallException { TimedOut: true } => "no answer in time",
        _ => e.Message,
    };
}
