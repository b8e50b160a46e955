using System.Globalization;
using Portal.Domain.Rollouts;

namespace Portal.Web.Features.Rollouts;

/// <summary>A rollout policy in words, for the rollout and model pages.</summary>
public static class RolloutPolicyText
{
    public static string Describe(RolloutPolicy policy, RolloutTaskMetric? metric)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var accuracy = $"accuracy at most {Points(policy.TaskMetricMargin)} below the champion's";
        var mae = $"mean absolute error at most {policy.TaskMetricMargin.ToString("0.#%", CultureInfo.InvariantCulture)} above the champion's";
        var margin = metric switch
        {
            RolloutTaskMetric.Accuracy => accuracy,
            RolloutTaskMetric.MeanAbsoluteError => mae,
            _ => $"{accuracy} (classification) or {mae} (regression)",
        };
        return $"Canary steps {string.Join(" → ", policy.Steps.Select(s => $"{s} %"))}. Each step runs at least {Duration(policy.MinimumStepDuration)} and needs "
            + $"{policy.MinimumSamplesPerArm:#,##0} predictions with ground truth per arm; it passes when the canary is shown non-inferior at "
            + $"{policy.Confidence.ToString("P0", CultureInfo.InvariantCulture)} one-sided confidence: {margin}, and an error rate at most "
            + $"{Points(policy.ErrorRateMargin)} above it. A step not shown non-inferior within {Duration(policy.MaximumStepDuration)} fails, and the canary is rolled back.";
    }

    public static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 && span.TotalHours == Math.Floor(span.TotalHours) ? $"{span.TotalHours:0} h"
        : span.TotalMinutes >= 1 && span.TotalMinutes == Math.Floor(span.TotalMinutes) ? $"{span.TotalMinutes:0} min"
        : $"{span.TotalSeconds:0} s";

    private static string Points(double fraction) => $"{(fraction * 100).ToString("0.##", CultureInfo.InvariantCulture)} point{(fraction == 0.01 ? "" : "s")}";
}
