using BenchmarkDotNet.Attributes;
using ChatOps.Core.Cards;
using ChatOps.Core.Releases;
using ChatOps.Core.Store;

namespace ChatOps.Benchmarks.Micro;

/// <summary>The card is rendered on every save of a release that has a chat, so once per state change.</summary>
[MemoryDiagnoser]
public class CardBenchmarks
{
    private readonly Release _released = SampleRelease.Released();
    private readonly Release _waiting = SampleRelease.AwaitingApproval();
    private readonly IReadOnlyList<ActionToken> _tokens = SampleRelease.OpenTokens(42);
    private readonly DateTimeOffset _now = SampleRelease.Start.AddMinutes(2);

    [Benchmark]
    public ReleaseCard RenderReleased() => CardRenderer.Render(_released, [], _now);

    [Benchmark]
    public ReleaseCard RenderAwaitingApproval() => CardRenderer.Render(_waiting, _tokens, _now);
}
