using ChatOps.Benchmarks;

// dotnet run -c Release --project bench/ChatOps.Benchmarks -- <mode> [options]; bench/README.md has the figures.
return args.FirstOrDefault() switch
{
    "micro" => Modes.Micro(args[1..]),
    "throughput" => await Modes.ThroughputAsync(args[1..]),
    "takeover" => await Modes.TakeoverAsync(args[1..]),
    "releasetime" => await Modes.ReleaseTimeAsync(args[1..]),
    "bake" => await Modes.BakeAsync(args[1..]),
    "minimal-endpoint" => await Modes.MinimalEndpointAsync(args[1..]),
    "chat-sims" => await Modes.ChatSimsAsync(args[1..]),
    "insert-loop" => await Modes.InsertLoopAsync(args[1..]),
    "responsiveness" => await Modes.ResponsivenessAsync(args[1..]),
    "memory" => await Modes.MemoryAsync(args[1..]),
    _ => Modes.Usage(),
};
