using Portal.Domain.Rollouts;
using static Portal.Domain.Tests.Rollouts.RolloutBuilder;

namespace Portal.Domain.Tests.Rollouts;

public sealed class RolloutAnalysisTests
{
    private static readonly DateTime From = Now.UtcDateTime;

    [Fact]
    public void TooFewLabelledPredictionsKeepTheStepPendingAndSaySo()
    {
        var assessment = Classification(5000, 4500, 40, 36).Assess(Policy, From, Now.AddMinutes(30));

        Assert.Equal(RolloutAnalysisOutcome.Pending, assessment.Outcome);
        Assert.Contains("canary 40 of the 100 labelled predictions", assessment.Summary);
    }

    [Fact]
    public void NonInferiorCanaryWaitsForTheMinimumStepDuration()
    {
        var assessment = Equal.Assess(Policy, From, Now.AddMinutes(2));

        Assert.Equal(RolloutAnalysisOutcome.Pending, assessment.Outcome);
        Assert.Contains("at least 5 min", assessment.Summary);
    }

    [Fact]
    public void NonInferiorCanaryPassesAfterTheMinimumDurationWithTheTestNamed()
    {
        var assessment = Equal.Assess(Policy, From, Now.AddMinutes(6));

        Assert.Equal(RolloutAnalysisOutcome.Passed, assessment.Outcome);
        Assert.Contains("Newcombe hybrid score interval", assessment.Summary);
        Assert.Contains("canary 0.900 (4,500 of 5,000)", assessment.Summary);
        Assert.Equal(0.9, assessment.Canary.TaskMetric!.Value, 12);
        Assert.True(assessment.Canary.TaskMetricLower < 0.9 && assessment.Canary.TaskMetricUpper > 0.9);
    }

    [Fact]
    public void ClearlyWorseCanaryFailsAtOnceEvenBeforeTheMinimumDuration()
    {
        var assessment = Worse.Assess(Policy, From, Now.AddMinutes(1));

        Assert.Equal(RolloutAnalysisOutcome.Failed, assessment.Outcome);
        Assert.Contains("shown inferior: its accuracy is worse", assessment.Summary);
    }

    [Fact]
    public void CanaryWithMoreErrorsFailsOnTheErrorRateAlone()
    {
        var analysis = Classification(2000, 1800, 2000, 1800, championRows: 20_000, championErrors: 20, canaryRows: 20_000, canaryErrors: 800);

        var assessment = analysis.Assess(Policy, From, Now.AddMinutes(10));

        Assert.Equal(RolloutAnalysisOutcome.Failed, assessment.Outcome);
        Assert.Contains("its error rate is worse", assessment.Summary);
    }

    [Fact]
    public void UndecidedCanaryFailsWhenTheMaximumDurationPasses()
    {
        // 88 % against 90 % on 300 each: neither shown non-inferior within 2 points nor shown inferior.
        var analysis = Classification(300, 270, 300, 264);

        var during = analysis.Assess(Policy, From, Now.AddMinutes(30));
        var after = analysis.Assess(Policy, From, Now.AddHours(1));

        Assert.Equal(RolloutAnalysisOutcome.Pending, during.Outcome);
        Assert.Equal(RolloutAnalysisOutcome.Failed, after.Outcome);
        Assert.Contains("Not shown non-inferior on accuracy within 1 h", after.Summary);
    }

    [Fact]
    public void RegressionIsJudgedOnMeanAbsoluteErrorWithWelchsIntervalAndARelativeMargin()
    {
        // Champion MAE 1.0, canary MAE 1.01, both with SD ≈ 0.5, 5000 each: within 10 % of the champion's error.
        static RolloutArmCounts Arm(double mae) => new(5000, 0, 0, 0, 5000, mae * 5000, ((0.25) + (mae * mae)) * 5000);
        var policy = Policy with { TaskMetricMargin = 0.1 };

        var passed = new RolloutAnalysis(Arm(1.0), Arm(1.01)).Assess(policy, From, Now.AddMinutes(10));
        var failed = new RolloutAnalysis(Arm(1.0), Arm(1.3)).Assess(policy, From, Now.AddMinutes(10));

        Assert.Equal(RolloutAnalysisOutcome.Passed, passed.Outcome);
        Assert.Contains("Welch", passed.Summary);
        Assert.Equal(1.01, passed.Canary.TaskMetric!.Value, 9);
        Assert.Equal(RolloutAnalysisOutcome.Failed, failed.Outcome);
        Assert.Contains("mean absolute error is worse", failed.Summary);
    }
}
