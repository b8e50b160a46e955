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
    public void OverfittingDoesNotFireOnTheTinyGapOfANearPerfectModel()
    {
        // The penguins run: validation log-loss 0.014 against training 0.0057 is "145 % above" and no problem at all.
        var train = Curve("train.logLoss", 1.50, 0.60, 0.20, 0.06, 0.02, 0.010, 0.0070, 0.0060, 0.0057);
        var validation = Curve("validation.logLoss", 1.52, 0.62, 0.22, 0.07, 0.03, 0.018, 0.0150, 0.0142, 0.0140);

        Assert.Null(LearningCurveRules.Overfitting(train, validation, Defaults));
    }

    [Fact]
    public void OverfittingDoesNotFireOnAValidationLossThatRoseByNoise()
    {
        // 0.481 at its best, 0.4813 six steps later while training crept down: noise, not a trend.
        var train = Curve("train.logLoss", 0.69, 0.55, 0.49, 0.47, 0.460, 0.455, 0.452, 0.450, 0.449, 0.448, 0.447);
        var validation = Curve("validation.logLoss", 0.69, 0.56, 0.50, 0.485, 0.4810, 0.4811, 0.4812, 0.4811, 0.4812, 0.4813, 0.4813);

        Assert.Null(LearningCurveRules.Overfitting(train, validation, Defaults));
    }

    [Fact]
    public void OverfittingDoesNotFireOnAGapThatWasThereFromTheStartAndStaysFlat()
    {
        // Validation is harder than training by the same 0.2 at every step: the data, not overfitting.
        var train = Curve("train.logLoss", 0.50, 0.40, 0.30, 0.22, 0.18, 0.15, 0.13, 0.12, 0.12, 0.12);
        var validation = Curve("validation.logLoss", 0.70, 0.60, 0.50, 0.42, 0.38, 0.35, 0.33, 0.32, 0.32, 0.32);

        Assert.Null(LearningCurveRules.Overfitting(train, validation, Defaults));
    }

    [Fact]
    public void OverfittingFiresWhenTheGapGrowsOverTheLastStepsWhileValidationStaysFlat()
    {
        // Training keeps falling, validation has stopped improving: the gap opens up at the end.
        var train = Curve("train.logLoss", 0.70, 0.55, 0.45, 0.40, 0.36, 0.30, 0.24, 0.18, 0.13, 0.09, 0.06, 0.04);
        var validation = Curve("validation.logLoss", 0.71, 0.57, 0.48, 0.44, 0.42, 0.41, 0.41, 0.41, 0.41, 0.41, 0.41, 0.41);

        var finding = LearningCurveRules.Overfitting(train, validation, Defaults);

        Assert.NotNull(finding);
        Assert.Equal(0.37, (double)finding.Evidence["gap"]!, 6);
        Assert.Equal(0.20, (double)finding.Evidence["gapGrowth"]!, 6); // since step 6, five steps before the last
    }

    [Fact]
    public void OverfittingFiresOnALargeGapThatGrew()
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
    public void ExplodingLossDoesNotFireWhenANearZeroLossTicksUp()
    {
        // Twelve times its minimum, yet still a near-perfect model: stopping this run as "exploding" would be wrong.
        var loss = Curve("train.logLoss", 0.69, 0.05, 0.002, 0.0005, 0.006);

        Assert.Null(LearningCurveRules.ExplodingLoss(loss, Defaults));
    }

    [Fact]
    public void ExplodingLossDoesNotFireOnANoisyButBoundedCurve() =>
        Assert.Null(LearningCurveRules.ExplodingLoss(Curve("train.logLoss", 0.69, 0.40, 0.55, 0.38, 0.9), Defaults));
}
