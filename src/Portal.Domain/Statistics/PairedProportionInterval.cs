using MathNet.Numerics.Distributions;

namespace Portal.Domain.Statistics;

/// <summary>A confidence interval for a difference, with the confidence it was computed at.</summary>
public sealed record DifferenceInterval(double Estimate, double Lower, double Upper, double Confidence);

/// <summary>
/// Confidence interval for the difference of two paired proportions (challenger's accuracy minus the champion's on the
/// same rows): Newcombe's square-and-add interval from two Wilson score intervals with the continuity-corrected φ
/// (Newcombe 1998, "Improved confidence intervals for the difference between binomial proportions based on paired
/// data", Stat Med 17:2635–2650, method 10; Fagerland, Lydersen &amp; Laake, "Statistical Analysis of Contingency
/// Tables", 2017, §8.5). Chosen over the Wald interval, which collapses to a single point when there are no
/// discordant pairs and is too narrow when there are few.
/// </summary>
public static class PairedProportionInterval
{
    /// <summary>Two-sided interval at <paramref name="confidence"/> (e.g. 0.95).</summary>
    public static DifferenceInterval TwoSided(PairedOutcomes outcomes, double confidence)
    {
        ValidateConfidence(confidence);
        var (lower, upper) = Newcombe(outcomes, Normal.InvCDF(0, 1, (1 + confidence) / 2));
        return new DifferenceInterval(outcomes.AccuracyDifference, lower, upper, confidence);
    }

    /// <summary>
    /// The lower bound of the one-sided interval at <paramref name="confidence"/>: we are that sure the challenger's
    /// accuracy exceeds the champion's by at least this much (the lower end of the two-sided interval at 2c − 1).
    /// </summary>
    public static double OneSidedLower(PairedOutcomes outcomes, double confidence)
    {
        ValidateConfidence(confidence);
        return Newcombe(outcomes, Normal.InvCDF(0, 1, confidence)).Lower;
    }

    internal static void ValidateConfidence(double confidence)
    {
        if (!(confidence is > 0.5 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Confidence must be above 0.5 and below 1 (e.g. 0.95).");
        }
    }

    private static (double Lower, double Upper) Newcombe(PairedOutcomes o, double z)
    {
        ArgumentNullException.ThrowIfNull(o);
        double n = o.Rows;
        var challengerRight = o.BothCorrect + o.ChallengerOnly;
        var championRight = o.BothCorrect + o.ChampionOnly;
        var p1 = challengerRight / n;
        var p2 = championRight / n;
        var (l1, u1) = WilsonInterval.Bounds(challengerRight, n, z);
        var (l2, u2) = WilsonInterval.Bounds(championRight, n, z);

        // Correlation of the two correctness indicators, with Newcombe's continuity correction of the cross product.
        var a = (double)challengerRight * (n - challengerRight) * championRight * (n - championRight);
        var cross = ((double)o.BothCorrect * o.BothWrong) - ((double)o.ChallengerOnly * o.ChampionOnly);
        var corrected = cross > n / 2 ? cross - (n / 2) : cross < 0 ? cross : 0;
        var phi = a > 0 ? corrected / Math.Sqrt(a) : 0;

        var d = p1 - p2;
        var lower = d - Math.Sqrt(Math.Max(0, Square(p1 - l1) - (2 * phi * (p1 - l1) * (u2 - p2)) + Square(u2 - p2)));
        var upper = d + Math.Sqrt(Math.Max(0, Square(p2 - l2) - (2 * phi * (p2 - l2) * (u1 - p1)) + Square(u1 - p1)));
        return (Math.Max(-1, lower), Math.Min(1, upper));
    }

    private static double Square(double x) => x * x;
}
