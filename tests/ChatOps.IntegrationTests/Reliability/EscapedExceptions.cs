using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;

namespace ChatOps.IntegrationTests.Reliability;

/// <summary>
/// Every log event of the hosts, kept for the end of a suite: an Error or Fatal carrying an exception is one that got
/// past the code that should have handled it and reached a catch-all ("could not be handled", "failed", "stopped").
/// </summary>
public sealed class EscapedExceptions : ILogEventSink
{
    private readonly ConcurrentQueue<string> _escaped = new();
    private int _events;

    public int Events => _events;

    public IReadOnlyList<string> Escaped => [.. _escaped];

    public void Emit(LogEvent logEvent)
    {
        Interlocked.Increment(ref _events);
        if (logEvent.Level >= LogEventLevel.Error && logEvent.Exception is not null || logEvent.Level == LogEventLevel.Fatal)
            _escaped.Enqueue($"{logEvent.Level}: {logEvent.RenderMessage()}\n{logEvent.Exception}");
    }

    /// <summary>Lines of a child host's compact-JSON log (stderr) at Error or Fatal with an exception, or Fatal at all.</summary>
    public static IReadOnlyList<string> InJsonLog(string log) =>
        [.. log.Split('\n').Where(line =>
            line.Contains("\"@l\":\"Fatal\"", StringComparison.Ordinal)
            || (line.Contains("\"@l\":\"Error\"", StringComparison.Ordinal) && line.Contains("\"@x\":", StringComparison.Ordinal)))];
}
