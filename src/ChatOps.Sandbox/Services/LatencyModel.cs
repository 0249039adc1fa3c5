namespace ChatOps.Sandbox;

/// <summary>
/// Response times of a healthy service: never under 20 ms, 95 % within 190 ms (a shifted exponential), so its p95 by
/// histogram_quantile lands near 230 ms in the buckets below. A slow release stretches every response by its slowdown.
/// </summary>
internal static class LatencyModel
{
    // Fly's bucket boundaries are not documented (unconfirmed); these are Prometheus's client defaults.
    public static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private const double Floor = 0.020;
    private const double P95 = 0.190;
    private static readonly double Rate = Math.Log(20) / (P95 - Floor);

    // The first bucket whose upper bound holds the value; the last index is +Inf.
    public static int BucketOf(double seconds)
    {
        var i = Array.FindIndex(Buckets, le => seconds <= le);
        return i < 0 ? Buckets.Length : i;
    }

    // u in [0, 1): the inverse of the distribution, so evenly spread u give the distribution's shape.
    public static double Seconds(double u, double slowdown) => (Floor - Math.Log(1 - u) / Rate) * slowdown;
}
