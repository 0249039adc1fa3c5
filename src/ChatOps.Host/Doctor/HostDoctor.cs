using ChatOps.Core.Ports;
using ChatOps.Host.Http;

namespace ChatOps.Host.Doctor;

/// <summary>
/// Runs every group of read-only checks, each bounded in time; a check that throws or times out is a problem row
/// with its reason, never a crash of the doctor.
/// </summary>
internal sealed class HostDoctor(IEnumerable<IDoctorChecks> groups) : IDoctor
{
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(30);

    public async Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken)
    {
        var rows = new List<DoctorCheck>();
        foreach (var group in groups)
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(CheckTimeout);
            try
            {
                rows.AddRange(await group.CheckAsync(limit.Token));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
            {
                var why = e is OperationCanceledException ? $"no answer within {CheckTimeout.TotalSeconds:0} s" : e.Message;
                rows.Add(DoctorCheck.Problem(group.Name, why, group.GeneralFix));
            }
        }
        return rows;
    }
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
