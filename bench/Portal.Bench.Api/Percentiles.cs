using System.Globalization;

namespace Portal.Bench.Api;

internal sealed record Percentiles(int Count, double P50, double P95, double P99, double Max)
{
    public static Percentiles Of(IReadOnlyCollection<double> millis)
    {
        var sorted = millis.Order().ToArray();
        double At(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(sorted.Length, At(0.50), At(0.95), At(0.99), sorted[^1]);
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"n={Count} p50={P50:F1} ms p95={P95:F1} ms p99={P99:F1} ms max={Max:F1} ms");
}
