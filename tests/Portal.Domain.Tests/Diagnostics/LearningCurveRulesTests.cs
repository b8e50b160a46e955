using Portal.Domain.Diagnostics;
using static Portal.Domain.Tests.Diagnostics.CurveBuilder;

namespace Portal.Domain.Tests.Diagnostics;

public sealed class LearningCurveRulesTests
{
    private static readonly DiagnosticThresholds Defaults = new();

    [Fact]
    public void OverfittingFiresWhenValidationRisesForKStepsWhileTrainingFalls()
    {
        var train = Curve("train.logLoss", 0.70, 0.60, 0.50, 0.45, 0.40, 0.35, 0.30, 0.25);
        var validation = Curve("validation.logLoss", 0.70, 0.62, 0.55, 0.56, 0.58, 0.60, 0.62, 0.64);

        var finding = LearningCurveRules.Overfitting(train, validation, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(2, (long)finding.Evidence["bestValidationStep"]!);
        Assert.Equal(7, (long)finding.Evidence["lastStep"]!);
    }

    [Fact]
    public void OverfittingDoesNotFireWhenBothLossesFallTogether()
    {
        var train = Curve("train.logLoss", 0.70, 0.60, 0.50, 0.45, 0.40, 0.38, 0.37, 0.36);
        var validation = Curve("validation.logLoss", 0.72, 0.63, 0.53, 0.48, 0.44, 0.42, 0.41, 0.40);

        Assert.Null(LearningCurveRules.Overfitting(train, validation, Defaults));
    }

    [Fact]
    public void OverfittingFiresOnALargeGapEvenWithoutATrend()
    {
        var train = Curve("train.logLoss", 0.5, 0.3, 0.2);
        var validation = Curve("validation.logLoss", 0.6, 0.5, 0.45);

        var finding = LearningCurveRules.Overfitting(train, validation, Defaults with { OverfittingGapRatio = 0.5 });

        Assert.NotNull(finding);
        Assert.Equal(1.25, (double)finding.Evidence["relativeGap"]!, 6);
    }

    [Fact]
    public void LossNotDecreasingFiresWhenTheFirstKStepsNeverImprove()
    {
        var loss = Curve("train.logLoss", 0.69, 0.69, 0.70, 0.69, 0.71, 0.69, 0.69);

        var finding = LearningCurveRules.LossNotDecreasing(loss, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(5, (int)finding.Evidence["stepsWithoutImprovement"]!);
    }

    [Fact]
    public void LossNotDecreasingDoesNotFireOnAConvergedCurve()
    {
        var loss = Curve("train.logLoss", 0.69, 0.50, 0.40, 0.35, 0.35, 0.35, 0.35, 0.35, 0.35);

        Assert.Null(LearningCurveRules.LossNotDecreasing(loss, Defaults));
    }

    [Fact]
    public void ExplodingLossFiresWhenLossGrowsTenTimesItsMinimum()
    {
        var loss = Curve("train.logLoss", 0.69, 0.40, 4.1);

        var finding = LearningCurveRules.ExplodingLoss(loss, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(DiagnosticSeverity.Critical, finding.Severity);
        Assert.Equal(1, (long)finding.Evidence["minimumStep"]!);
        Assert.Equal(2, (long)finding.Evidence["step"]!);
    }

    [Fact]
    public void ExplodingLossFiresOnNaN()
    {
        var finding = LearningCurveRules.ExplodingLoss(Curve("train.rootMeanSquaredError", 3.0, double.NaN), Defaults);

        Assert.NotNull(finding);
        Assert.Equal("NaN", (string)finding.Evidence["lossText"]!);
    }

    [Fact]
    public void ExplodingLossDoesNotFireOnANoisyButBoundedCurve() =>
        Assert.Null(LearningCurveRules.ExplodingLoss(Curve("train.logLoss", 0.69, 0.40, 0.55, 0.38, 0.9), Defaults));
}
