using System.Globalization;

namespace ChatOps.Benchmarks;

/// <summary>Order statistics of a handful of measurements, printed the way bench/README.md shows them.</summary>
public sealed class Stats(IEnumerable<double> values)
{
    private readonly double[] _sorted = values.Order().ToArray();

    public int Count => _sorted.Length;
    public double Min => _sorted[0];
    public double Max => _sorted[^1];
    public double Mean => _sorted.Average();
    public double Median => Count % 2 == 1 ? _sorted[Count / 2] : (_sorted[(Count / 2) - 1] + _sorted[Count / 2]) / 2;

    /// <summary>Nearest-rank percentile.</summary>
    public double Percentile(double p) => _sorted[Math.Clamp((int)Math.Ceiling(p / 100 * Count) - 1, 0, Count - 1)];

    public static string F(double value, int decimals = 1) => value.ToString($"F{decimals}", CultureInfo.InvariantCulture);
}
