using BenchmarkDotNet.Attributes;
using ChatOps.Core.Chat;
using ChatOps.Core.Commands;

namespace ChatOps.Benchmarks.Micro;

/// <summary>One chat message through the command grammar: the commands people type most, and the mistakes they make.</summary>
[MemoryDiagnoser]
public class ParserBenchmarks
{
    private static readonly Dictionary<string, string> Inputs = new()
    {
        ["release"] = "/release v1.4.0",
        ["release-env-dry"] = "/release v1.4.0 staging --dry-run",
        ["approve"] = "/approve #42",
        ["lock-for"] = "/lock production incident on payments --for 2h",
        ["bad-tag"] = "/release 1.4",
        ["unknown"] = "/deploy now please",
        ["not-command"] = "hello bot, can you ship it?",
        ["other-bot"] = "/release@SomeOtherBot v1.4.0",
        ["too-long"] = "/release " + new string('x', 1200),
    };

    private readonly CommandParser _parser = new(@"^v\d+\.\d+\.\d+$", "ChatOpsBot", "production", ["production", "staging"]);
    private string _text = "";

    [ParamsSource(nameof(Cases))]
    public string Case { get; set; } = "";

    public static IEnumerable<string> Cases => Inputs.Keys;

    [GlobalSetup]
    public void Setup() => _text = Inputs[Case];

    [Benchmark]
    public ParseResult Parse() => _parser.Parse(_text);
}
