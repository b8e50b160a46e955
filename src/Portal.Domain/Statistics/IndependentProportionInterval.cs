using MathNet.Numerics.Distributions;

namespace Portal.Domain.Statistics;

/// <summary>
/// Confidence interval for the difference of two independent proportions p₁ − p₂ (x₁ of n₁ against x₂ of n₂): Newcombe's
/// hybrid score interval, built from the two Wilson score intervals by square-and-add (Newcombe 1998, "Interval estimation
/// for the difference between independent proportions: comparison of eleven methods", Stat Med 17:873–890, method 10).
/// Chosen over the Wald interval, which is too narrow near 0 and 1 (an error rate near zero) and degenerates at 0 of n.
/// </summary>
public static class IndependentProportionInterval
{
    /// <summary>Two-sided interval at <paramref name="confidence"/> (e.g. 0.95).</summary>
    public static DifferenceInterval TwoSided(long x1, long n1, long x2, long n2, double confidence)
    {
        PairedProportionInterval.ValidateConfidence(confidence);
        return Newcombe(x1, n1, x2, n2, Normal.InvCDF(0, 1, (1 + confidence) / 2), confidence);
    }

    /// <summary>
    /// Both one-sided bounds at <paramref name="confidence"/>: we are that sure p₁ − p₂ is at least <see cref="DifferenceInterval.Lower"/>,
    /// and (separately) that sure it is at most <see cref="DifferenceInterval.Upper"/> (the two-sided interval at 2c − 1).
    /// </summary>
    public static DifferenceInterval OneSidedBounds(long x1, long n1, long x2, long n2, double confidence)
    {
        PairedProportionInterval.ValidateConfidence(confidence);
        return Newcombe(x1, n1, x2, n2, Normal.InvCDF(0, 1, confidence), confidence);
    }

    private static DifferenceInterval Newcombe(long x1, long n1, long x2, long n2, double z, double confidence)
    {
        if (n1 <= 0 || n2 <= 0 || x1 < 0 || x2 < 0 || x1 > n1 || x2 > n2)
        {
            throw new ArgumentOutOfRangeException(nameof(n1), $"Need 0 ≤ x ≤ n and n > 0 for both proportions (got {x1}/{n1} and {x2}/{n2}).");
        }

        var p1 = (double)x1 / n1;
        var p2 = (double)x2 / n2;
        var (l1, u1) = WilsonScore.Interval(x1, n1, z);
        var (l2, u2) = WilsonScore.Interval(x2, n2, z);
        var d = p1 - p2;
        var lower = d - Math.Sqrt(Square(p1 - l1) + Square(u2 - p2));
        var upper = d + Math.Sqrt(Square(u1 - p1) + Square(p2 - l2));
        return new DifferenceInterval(d, Math.Max(-1, lower), Math.Min(1, upper), confidence);
    }

    private static double Square(double x) => x * x;
}
