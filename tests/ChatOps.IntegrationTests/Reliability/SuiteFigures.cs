using System.Text;
using ChatOps.Core.Releases;
using ChatOps.Sandbox;
using Xunit.Abstractions;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// What a fault suite says it did: to the test output, and one line appended to the CI summary
/// (<c>CHATOPS_TEST_SUMMARY</c>, set by .ci/run), where scripts/test.sh's test count follows it.
/// </summary>
public static class SuiteFigures
{
    public static string Outcomes(IEnumerable<Release> releases) =>
        string.Join(", ", releases.GroupBy(r => r.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {Word(g.Key)}"));

    public static void Report(ITestOutputHelper output, string suite, string summary, RandomFaults? faults, IEnumerable<string> details)
    {
        var text = new StringBuilder();
        text.AppendLine($"{suite}: {summary}");
        if (faults is not null)
        {
            foreach (var line in faults.Figures())
                text.AppendLine($"  faults {line}");
        }
        foreach (var line in details)
            text.AppendLine($"  {line}");
        output.WriteLine(text.ToString());
        if (Environment.GetEnvironmentVariable("CHATOPS_TEST_SUMMARY") is { Length: > 0 } file)
            File.AppendAllText(file, $"{suite}: {summary}\n");
    }

    private static string Word(ReleaseState state) => state switch
    {
        ReleaseState.Released => "released",
        ReleaseState.Failed => "failed clearly",
        ReleaseState.NeedsAttention => "in NeedsAttention",
        _ => state.ToString(),
    };
}
