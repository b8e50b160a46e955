using MathNet.Numerics;

namespace Portal.Domain.Monitoring.Drift;

/// <summary>Pearson's chi-square goodness-of-fit outcome.</summary>
/// <param name="Statistic">Σ (observed − expected)² / expected.</param>
/// <param name="PValue">Upper tail of χ² with (categories − 1) degrees of freedom.</param>
public readonly record struct ChiSquareResult(double Statistic, double PValue);

/// <summary>
/// Pearson's chi-square goodness of fit as SciPy's <c>scipy.stats.chisquare(f_obs, f_exp)</c>: the current counts per
/// reference category against f_exp = reference proportion × current total; p from χ²'s survival function (MathNet's
/// regularized upper incomplete gamma, as SciPy's <c>chi2.sf</c> = <c>gammaincc(df/2, x/2)</c>).
/// </summary>
public static class ChiSquareGoodnessOfFit
{
    /// <summary>
    /// The test of <paramref name="observed"/> counts against <paramref name="referenceCounts"/> scaled to the observed total.
    /// Every reference count must be positive. With fewer than two categories or no observations there is nothing to test:
    /// statistic 0, p-value 1.
    /// </summary>
    public static ChiSquareResult Test(ReadOnlySpan<long> observed, ReadOnlySpan<long> referenceCounts)
    {
        if (observed.Length != referenceCounts.Length)
        {
            throw new ArgumentException("Observed and reference counts cover the same categories.");
        }

        long referenceTotal = 0, total = 0;
        for (var i = 0; i < observed.Length; i++)
        {
            if (referenceCounts[i] <= 0)
            {
                throw new ArgumentException("Every reference category has a positive count.");
            }

            referenceTotal += referenceCounts[i];
            total += observed[i];
        }

        if (observed.Length < 2 || total == 0)
        {
            return new ChiSquareResult(0, 1);
        }

        var statistic = 0.0;
        for (var i = 0; i < observed.Length; i++)
        {
            var expected = (referenceCounts[i] / (double)referenceTotal) * total;
            var difference = observed[i] - expected;
            statistic += difference * difference / expected;
        }

        return new ChiSquareResult(statistic, Survival(statistic, observed.Length - 1));
    }

    /// <summary>Pr(χ²_df ≥ x).</summary>
    public static double Survival(double x, int degreesOfFreedom) =>
        x <= 0 ? 1.0 : SpecialFunctions.GammaUpperRegularized(degreesOfFreedom / 2.0, x / 2.0);
}
