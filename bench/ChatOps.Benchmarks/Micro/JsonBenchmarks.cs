using BenchmarkDotNet.Attributes;
using ChatOps.Core.Releases;
using ChatOps.Host.Store;

namespace ChatOps.Benchmarks.Micro;

/// <summary>The whole record goes through JSON on every store read and write.</summary>
[MemoryDiagnoser]
public class JsonBenchmarks
{
    private readonly Release _release = SampleRelease.Released();
    private string _json = "";

    [GlobalSetup]
    public void Setup() => _json = ReleaseJson.Serialize(_release);

    [Benchmark]
    public string Serialize() => ReleaseJson.Serialize(_release);

    [Benchmark]
    public Release Deserialize() => ReleaseJson.Deserialize(_json);
}
