using Portal.Domain.Statistics;

namespace Portal.Domain.Tests.Statistics;

/// <summary>The sentences a manager reads on the evidence page.</summary>
public sealed class ImprovementSentenceTests
{
    [Fact]
    public void BetterWithConfidenceSaysByHowMuchAndAtLeastHowMuch()
    {
        Assert.Equal(
            "The challenger is better by 2.1 points of accuracy, and we are 95 % sure it is at least 0.4 points better.",
            ImprovementSentence.Describe("accuracy", 0.021, 0.004, 0.95, DifferenceUnit.Points));
    }

    [Fact]
    public void BetterOnTheRowsButNotSurelySaysSo()
    {
        Assert.Equal(
            "The challenger is better by 0.3 points of AUC on these rows, but we cannot be 99 % sure it is better at all.",
            ImprovementSentence.Describe("AUC", 0.003, -0.001, 0.99, DifferenceUnit.Points));
    }

    [Fact]
    public void WorseSaysWorse()
    {
        Assert.Equal("The challenger is worse by 1 point of accuracy on these rows.", ImprovementSentence.Describe("accuracy", -0.01, -0.02, 0.95, DifferenceUnit.Points));
    }

    [Fact]
    public void ErrorsAreSaidInTheirOwnUnits()
    {
        Assert.Equal(
            "The challenger is better by 0.3125 in RMSE, and we are 95 % sure it is at least 0.12 better. The required improvement is 0.1, so this gate passes.",
            ImprovementSentence.Describe("RMSE", 0.3125, 0.12, 0.95, DifferenceUnit.MetricUnits, margin: 0.1));
    }

    [Fact]
    public void AccuracyComparisonCarriesItsMarginVerdict()
    {
        // Agresti's approval table: +4 points; the one-sided 95 % lower bound (Newcombe) is about 2.4 points.
        var comparison = AccuracyComparison.Compare(PairedOutcomes.Create(794, 150, 86, 570), margin: 0.03, confidence: 0.95);

        var sentence = ImprovementSentence.Describe(comparison);

        Assert.StartsWith("The challenger is better by 4 points of accuracy, and we are 95 % sure it is at least 2.", sentence, StringComparison.Ordinal);
        Assert.EndsWith("The required improvement is 3 points, so this gate fails.", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void NonInferiorityMarginIsSaidAsHowMuchWorseIsAllowed()
    {
        Assert.EndsWith(
            "The challenger may be at most 0.5 points worse, so this gate passes.",
            ImprovementSentence.Describe("accuracy", 0, -0.002, 0.95, DifferenceUnit.Points, margin: -0.005),
            StringComparison.Ordinal);
    }
}
