namespace ChatOps.Sandbox;

/// <summary>
/// One machine's answers, deterministic: the share of 5xx comes from a running debt rather than dice, and response
/// times from an evenly spread sequence through the latency distribution, so a test sees the figures it configured.
/// </summary>
internal sealed class MachineCounters(string app, string instance, string region)
{
    // The golden ratio's fractional part: its multiples mod 1 spread evenly over [0, 1).
    private const double Step = 0.6180339887498949;

    private readonly Dictionary<int, StatusCounts> _byStatus = [];
    // The machine has been serving before the sandbox saw it: its first answer is counted at once, so every app has
    // its series from the start, as an app already on Fly does.
    private double _carry = 1;
    private double _errorDebt;
    private double _u;
    private bool _toggle;

    public IEnumerable<(int Status, double Seconds)> Serve(double requests, TagBehaviour behaviour)
    {
        _carry += requests;
        var served = new List<(int, double)>();
        while (_carry >= 1)
        {
            _carry -= 1;
            _errorDebt += behaviour.ErrorShare;
            var status = 200;
            if (_errorDebt >= 1)
            {
                _errorDebt -= 1;
                _toggle = !_toggle;
                status = _toggle ? 500 : 503;
            }
            _u = (_u + Step) % 1;
            var seconds = LatencyModel.Seconds(_u, behaviour.Slowdown);
            var counts = _byStatus.TryGetValue(status, out var c) ? c : _byStatus[status] = new StatusCounts();
            counts.Count++;
            counts.Sum += seconds;
            counts.Buckets[LatencyModel.BucketOf(seconds)]++;
            served.Add((status, seconds));
        }
        return served;
    }

    public IEnumerable<MachineSeries> Series() =>
        _byStatus.OrderBy(p => p.Key).Select(p => new MachineSeries(app, instance, region, p.Key, p.Value.Count, p.Value.Sum, (long[])p.Value.Buckets.Clone()));

    private sealed class StatusCounts
    {
        public long Count { get; set; }
        public double Sum { get; set; }
        public long[] Buckets { get; } = new long[LatencyModel.Buckets.Length + 1];
    }
}
