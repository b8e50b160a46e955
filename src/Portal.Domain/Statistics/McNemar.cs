using MathNet.Numerics;
using MathNet.Numerics.Distributions;

namespace Portal.Domain.Statistics;

public enum McNemarMethod
{
    /// <summary>Exact binomial test of b out of b + c at ½ (R's <c>binom.test</c>).</summary>
    ExactBinomial,

    /// <summary>(|b − c| − 1)² / (b + c) against χ² with one degree of freedom (R's <c>mcnemar.test</c>, correct = TRUE).</summary>
    ChiSquareContinuityCorrected,
}

/// <param name="ChiSquare">The statistic when <see cref="Method"/> is the χ² approximation; null for the exact test.</param>
/// <param name="PValue">Two-sided: any difference between the models.</param>
/// <param name="OneSidedPValue">One-sided: the challenger gets more rows right than the champion (b &gt; c).</param>
public sealed record McNemarResult(PairedOutcomes Outcomes, McNemarMethod Method, double? ChiSquare, double PValue, double OneSidedPValue);

/// <summary>
/// McNemar's test for two classifiers scored on the same rows (Dietterich 1998 recommends it for comparing
/// classifiers on one test set). With few discordant pairs the χ² approximation is poor, so below
/// <see cref="DefaultExactBelow"/> discordant pairs the exact binomial test is used.
/// </summary>
public static class McNemar
{
    public const int DefaultExactBelow = 25;

    public static McNemarResult Test(PairedOutcomes outcomes, int exactBelow = DefaultExactBelow)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentOutOfRangeException.ThrowIfNegative(exactBelow);
        var b = outcomes.ChallengerOnly;
        var c = outcomes.ChampionOnly;
        var discordant = b + c;
        if (discordant == 0)
        {
            // Both models agree on every row: no evidence of any difference.
            return new McNemarResult(outcomes, McNemarMethod.ExactBinomial, null, 1, 1);
        }

        if (discordant < exactBelow)
        {
            // The binomial at ½ is symmetric, so the two-sided p is twice the smaller tail, capped at 1.
            var twoSided = Math.Min(1, 2 * Binomial.CDF(0.5, discordant, Math.Min(b, c)));
            var oneSided = b == 0 ? 1 : 1 - Binomial.CDF(0.5, discordant, b - 1);
            return new McNemarResult(outcomes, McNemarMethod.ExactBinomial, null, twoSided, Math.Clamp(oneSided, 0, 1));
        }

        // When b = c, R gives (0 − 1)²/(b + c) > 0; the correction is meant only to shrink |b − c|, so clamp at 0 (p = 1).
        var corrected = Math.Max(0, Math.Abs(b - c) - 1);
        var statistic = (double)corrected * corrected / discordant;

        // Upper tail of χ²₁ by the regularized gamma function: 1 − CDF loses every digit below 1e-16.
        var p = SpecialFunctions.GammaUpperRegularized(0.5, statistic / 2);

        // The one-sided version of the same corrected statistic: z = (b − c − 1) / √(b + c).
        var z = (b - c - 1) / Math.Sqrt(discordant);
        var pOneSided = Normal.CDF(0, 1, -z);
        return new McNemarResult(outcomes, McNemarMethod.ChiSquareContinuityCorrected, statistic, p, pOneSided);
    }
}
