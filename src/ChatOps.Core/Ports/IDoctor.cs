namespace ChatOps.Core.Ports;

/// <summary>The read-only checks of every configured outside system, for `ChatOps.Host doctor` and /doctor.</summary>
public interface IDoctor
{
    Task<IReadOnlyList<DoctorCheck>> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>One row of the doctor's report: what was checked, and either what was seen or the problem and its fix.</summary>
public sealed record DoctorCheck(string Name, bool Ok, string Detail, string? Fix = null)
{
    public static DoctorCheck Pass(string name, string detail) => new(name, true, detail);

    public static DoctorCheck Problem(string name, string problem, string fix) => new(name, false, problem, fix);

    public override string ToString() => Ok ? $"ok       {Name}: {Detail}" : $"PROBLEM  {Name}: {Detail} Fix: {Fix}";

    /// <summary>The `doctor` verb's exit code: 1 when any check found a problem, so a deploy script can stop on it.</summary>
    public static int ExitCode(IReadOnlyList<DoctorCheck> checks) => checks.All(c => c.Ok) ? 0 : 1;

    public static string Report(IReadOnlyList<DoctorCheck> checks)
    {
        var problems = checks.Count(c => !c.Ok);
        var summary = problems == 0 ? $"All {checks.Count} checks passed." : $"{problems} of {checks.Count} checks found a problem.";
        return string.Join('\n', checks.Select(c => c.ToString()).Append(summary));
    }
}
