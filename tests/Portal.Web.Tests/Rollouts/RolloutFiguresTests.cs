using Portal.Domain.Rollouts;
using Portal.Domain.Serving;
using Portal.Web.Features.Rollouts;

namespace Portal.Web.Tests.Rollouts;

/// <summary>The per-minute figures the rollout page draws, and the policy form's rules.</summary>
public sealed class RolloutFiguresTests
{
    private static readonly DateTime Minute = new(2026, 12, 2, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void RequestsAndLabelsAreCountedPerMinuteAndArmWithWilsonBands()
    {
        RolloutPageQueries.RequestSample[] requests =
        [
            new(Minute.AddSeconds(5), ServingArm.Champion, 200, 0),
            new(Minute.AddSeconds(50), ServingArm.Champion, 63, 0),
            new(Minute.AddSeconds(10), ServingArm.Canary, 148, 15),
            new(Minute.AddMinutes(1).AddSeconds(1), ServingArm.Canary, 20, 0),
        ];
        var feedback = Enumerable.Range(0, 263).Select(i => new RolloutPageQueries.FeedbackSample(Minute.AddSeconds(i % 60), ServingArm.Champion, i < 81, null)).ToList();

        var figures = RolloutPageQueries.Figures(requests, feedback, Minute, Minute.AddMinutes(2));

        Assert.Equal(RolloutTaskMetric.Accuracy, figures.Metric);
        var champion = Assert.Single(figures.Arm(ServingArm.Champion));
        Assert.Equal(263, champion.Rows);
        Assert.Equal(263, champion.Labelled);
        // 81 of 263: Wilson 95 % interval 0.2553–0.3662 (Newcombe 1998).
        Assert.Equal(0.2553, champion.MetricLower!.Value, 4);
        Assert.Equal(0.3662, champion.MetricUpper!.Value, 4);
        var canary = figures.Arm(ServingArm.Canary).ToList();
        Assert.Equal([Minute, Minute.AddMinutes(1)], canary.Select(m => m.MinuteUtc));
        // 15 errors in 148 rows: 0.0624–0.1605.
        Assert.Equal(0.0624, canary[0].ErrorRateLower!.Value, 4);
        Assert.Equal(0.1605, canary[0].ErrorRateUpper!.Value, 4);
        Assert.Null(canary[0].Metric);
    }

    [Fact]
    public void RegressionFeedbackGivesTheMeanAbsoluteErrorWithANormalBand()
    {
        RolloutPageQueries.FeedbackSample[] feedback = [.. new[] { 1.0, 2.0, 3.0, 4.0 }.Select(e => new RolloutPageQueries.FeedbackSample(Minute, ServingArm.Canary, null, e))];

        var figures = RolloutPageQueries.Figures([], feedback, Minute, Minute.AddMinutes(1));

        var minute = Assert.Single(figures.Minutes);
        Assert.Equal(RolloutTaskMetric.MeanAbsoluteError, figures.Metric);
        Assert.Equal(2.5, minute.Metric!.Value, 12);
        // sd = 1.29099, se = 0.645497, z = 1.959964: 2.5 ± 1.26515.
        Assert.Equal(1.23485, minute.MetricLower!.Value, 4);
        Assert.Equal(3.76515, minute.MetricUpper!.Value, 4);
    }

    [Fact]
    public void TheDefaultPolicyRoundTripsThroughTheForm()
    {
        var form = RolloutPolicyForm.From(RolloutPolicy.Default);
        var policy = form.ToPolicy();

        Assert.Empty(form.Problems());
        Assert.Equal(RolloutPolicy.Default.Steps, policy.Steps);
        Assert.Equal(RolloutPolicy.Default with { Steps = policy.Steps }, policy);
    }

    [Theory]
    [InlineData("10, 50", "the last one is 100")]
    [InlineData("50, 10, 100", "larger than the one before")]
    [InlineData("ten, 100", "whole percentages")]
    [InlineData("", "whole percentages")]
    public void BadStepsAreExplained(string steps, string expected)
    {
        var form = new RolloutPolicyForm { Steps = steps };

        Assert.Contains(form.Problems(), p => p.Contains(expected, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(form.ToPolicy);
    }

    [Fact]
    public void AMaximumStepShorterThanTheMinimumIsRefused()
    {
        var form = new RolloutPolicyForm { MinimumStepMinutes = 120, MaximumStepHours = 1 };

        Assert.Contains(form.Problems(), p => p.StartsWith("Maximum step duration", StringComparison.Ordinal));
    }
}
