using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>McNemar's test and the paired accuracy interval against published values.</summary>
public sealed class McNemarTests
{
    [Fact]
    public void ChiSquareMatchesRsMcNemarTestOnPresidentialApprovalTable()
    {
        // R documentation of mcnemar.test (Agresti 1990, p. 350: approval of the President in two surveys, n = 1600):
        // Performance <- matrix(c(794, 86, 150, 570), nrow = 2); mcnemar.test(Performance)
        // → "McNemar's chi-squared = 16.818, df = 1, p-value = 4.115e-05".
        var outcomes = PairedOutcomes.Create(794, 150, 86, 570);

        var result = McNemar.Test(outcomes);

        Assert.Equal(McNemarMethod.ChiSquareContinuityCorrected, result.Method);
        Assert.Equal(16.818, result.ChiSquare!.Value, 3);
        Assert.Equal(4.115e-05, result.PValue, 8);
        Assert.Equal(0.04, outcomes.AccuracyDifference, 12);
    }

    [Fact]
    public void ExactBinomialMatchesBinomTestWhenFewDiscordantPairs()
    {
        // b = 10, c = 2: binom.test(10, 12) → p-value = 0.03857 (exactly 2 · 79 / 4096 = 0.0385742…);
        // binom.test(10, 12, alternative = "greater") → 0.01929 (79 / 4096).
        var outcomes = PairedOutcomes.Create(80, 10, 2, 8);

        var result = McNemar.Test(outcomes);

        Assert.Equal(McNemarMethod.ExactBinomial, result.Method);
        Assert.Null(result.ChiSquare);
        Assert.Equal(158.0 / 4096, result.PValue, 12);
        Assert.Equal(79.0 / 4096, result.OneSidedPValue, 12);
    }

    [Fact]
    public void ChallengerWorseGivesALargeOneSidedPValue()
    {
        // binom.test(2, 12, alternative = "greater") → 0.9968 (1 − 13/4096).
        var result = McNemar.Test(PairedOutcomes.Create(80, 2, 10, 8));

        Assert.Equal(158.0 / 4096, result.PValue, 12);
        Assert.Equal(1 - (13.0 / 4096), result.OneSidedPValue, 12);
    }

    [Theory]
    [InlineData(12, 12, McNemarMethod.ChiSquareContinuityCorrected)]
    [InlineData(12, 11, McNemarMethod.ExactBinomial)]
    public void SwitchesToChiSquareAtTheConfiguredDiscordantCount(int b, int c, McNemarMethod expected)
    {
        Assert.Equal(expected, McNemar.Test(PairedOutcomes.Create(100, b, c, 10), exactBelow: 24).Method);
    }

    [Fact]
    public void EqualDiscordantCountsGiveNoEvidenceEitherWay()
    {
        // R would give (0 − 1)² / 60 here; the correction must not invent a difference when b = c.
        var result = McNemar.Test(PairedOutcomes.Create(500, 30, 30, 40));

        Assert.Equal(0, result.ChiSquare);
        Assert.Equal(1, result.PValue, 12);
    }

    [Fact]
    public void NoDiscordantPairsIsNoEvidenceAndTheIntervalStillHasWidth()
    {
        var outcomes = PairedOutcomes.Create(900, 0, 0, 100);

        var comparison = AccuracyComparison.Compare(outcomes, margin: 0, confidence: 0.95);

        Assert.Equal(1, comparison.Test.PValue);
        Assert.Equal(0, comparison.Difference);
        Assert.True(comparison.Interval.Lower < 0 && comparison.Interval.Upper > 0, $"[{comparison.Interval.Lower}, {comparison.Interval.Upper}]");
        Assert.False(comparison.ReachesMargin);
    }

    [Fact]
    public void NewcombeIntervalMatchesFagerlandLydersenLaake()
    {
        // Fagerland, Lydersen & Laake, "Statistical Analysis of Contingency Tables" (2017), ch. 8, complete response
        // before/after consolidation therapy (Cavo et al. 2012), table [[59, 6], [16, 80]]: Newcombe square-and-add
        // "estimate = -0.0621 (95% CI -0.1186 to -0.0046)" (R package contingencytables, tests/testthat/test-ch8.R).
        var outcomes = PairedOutcomes.Create(59, 6, 16, 80);

        var interval = PairedProportionInterval.TwoSided(outcomes, 0.95);

        Assert.Equal(-0.0621, interval.Estimate, 4);
        Assert.Equal(-0.1186, interval.Lower, 4);
        Assert.Equal(-0.0046, interval.Upper, 4);
    }

    [Fact]
    public void OneSidedLowerBoundIsTheTwoSidedLowerBoundAtTwiceTheTail()
    {
        var outcomes = PairedOutcomes.Create(794, 150, 86, 570);

        Assert.Equal(PairedProportionInterval.TwoSided(outcomes, 0.95).Lower, PairedProportionInterval.OneSidedLower(outcomes, 0.975), 12);
        Assert.True(PairedProportionInterval.OneSidedLower(outcomes, 0.95) > PairedProportionInterval.TwoSided(outcomes, 0.95).Lower);
    }

    [Theory]
    [InlineData(0.01, true)]
    [InlineData(0.03, false)]
    public void ImprovementReachesTheMarginOnlyWhenTheOneSidedLowerBoundDoes(double margin, bool expected)
    {
        // Observed +4 points; the one-sided 95 % lower bound is about 2.4 points (two-sided 90 % interval's lower end).
        var comparison = AccuracyComparison.Compare(PairedOutcomes.Create(794, 150, 86, 570), margin, 0.95);

        Assert.InRange(comparison.OneSidedLower, 0.022, 0.026);
        Assert.Equal(expected, comparison.ReachesMargin);
    }

    [Fact]
    public void RowsOfDifferentLengthAreRefusedWithTheCounts()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedOutcomes.Count([true, false], [true]));
        Assert.Contains("challenger has 2, the champion 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CountsTheFourCellsFromRowCorrectness()
    {
        var outcomes = PairedOutcomes.Count([true, true, false, false, true], [true, false, true, false, false]);

        Assert.Equal(PairedOutcomes.Create(1, 2, 1, 1), outcomes);
        Assert.Equal(0.6, outcomes.ChallengerAccuracy, 12);
        Assert.Equal(0.4, outcomes.ChampionAccuracy, 12);
    }

    [Fact]
    public void NoRowsIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedOutcomes.Count([], []));
        Assert.Contains("no evaluation rows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(1.0)]
    [InlineData(95)]
    public void ConfidenceOutsideItsRangeIsRefused(double confidence)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AccuracyComparison.Compare(PairedOutcomes.Create(1, 1, 1, 1), 0, confidence));
    }
}
