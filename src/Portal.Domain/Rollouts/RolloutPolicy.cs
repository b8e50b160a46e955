using System.Globalization;

namespace Portal.Domain.Rollouts;

/// <summary>
/// How a model's approved challengers reach Production: the canary's traffic share at each step (ending at 100, which is
/// the promotion itself), and the analysis each step must pass before the next. A model without a policy promotes at once.
/// </summary>
/// <param name="Steps">Canary traffic shares in percent, strictly increasing, the last one 100. Default 10 → 50 → 100.</param>
/// <param name="MinimumSamplesPerArm">Predictions with ground truth each arm needs in the step's window before it is judged.</param>
/// <param name="MinimumStepDuration">The least time a step runs before it is judged.</param>
/// <param name="MaximumStepDuration">A step not shown non-inferior by then fails (the canary is rolled back).</param>
/// <param name="TaskMetricMargin">Non-inferiority margin on the task metric: accuracy points (0.02 = 2 points) for classification, mean absolute error for regression as a fraction of the champion's (0.1 = 10 % worse).</param>
/// <param name="ErrorRateMargin">Non-inferiority margin on the share of rows answered with an error (0.01 = 1 point).</param>
/// <param name="Confidence">One-sided confidence of the non-inferiority tests (0.95).</param>
public sealed record RolloutPolicy(
    IReadOnlyList<int> Steps,
    int MinimumSamplesPerArm,
    TimeSpan MinimumStepDuration,
    TimeSpan MaximumStepDuration,
    double TaskMetricMargin,
    double ErrorRateMargin,
    double Confidence)
{
    public const int MaxSteps = 10;

    public static RolloutPolicy Default { get; } = new([10, 50, 100], 200, TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), 0.02, 0.01, 0.95);

    /// <summary>What is wrong with the policy, said so that a manager can fix it; null when valid.</summary>
    public string? Problem()
    {
        if (Steps is null || Steps.Count is < 1 or > MaxSteps)
        {
            return $"A rollout has 1 to {MaxSteps} steps (canary shares in percent, ending at 100).";
        }

        if (Steps.Any(s => s is < 1 or > 100))
        {
            return "Each step is a canary share between 1 and 100 percent.";
        }

        if (Steps.Zip(Steps.Skip(1)).Any(pair => pair.Second <= pair.First))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Steps must increase ({string.Join(" → ", Steps)} does not).");
        }

        if (Steps[^1] != 100)
        {
            return "The last step is 100 percent: the canary taking all traffic is the promotion itself.";
        }

        if (MinimumSamplesPerArm is < 10 or > 10_000_000)
        {
            return "The minimum sample per arm is between 10 and 10,000,000 labelled predictions.";
        }

        if (MinimumStepDuration < TimeSpan.Zero || MinimumStepDuration > TimeSpan.FromDays(30))
        {
            return "The minimum step duration is between 0 and 30 days.";
        }

        if (MaximumStepDuration <= MinimumStepDuration || MaximumStepDuration > TimeSpan.FromDays(90))
        {
            return "The maximum step duration is longer than the minimum and at most 90 days.";
        }

        if (!double.IsFinite(TaskMetricMargin) || TaskMetricMargin is < 0 or > 0.5)
        {
            return "The task-metric margin is between 0 and 0.5 (0.02 = 2 accuracy points, or 2 % of the champion's mean absolute error).";
        }

        if (!double.IsFinite(ErrorRateMargin) || ErrorRateMargin is < 0 or > 0.5)
        {
            return "The error-rate margin is between 0 and 0.5 (0.01 = 1 point).";
        }

        return !double.IsFinite(Confidence) || Confidence is < 0.5 or >= 1 || Confidence == 0.5
            ? "The confidence is above 0.5 and below 1 (0.95 is usual)."
            : null;
    }

    /// <summary>The policy in words: "10 % → 50 % → 100 %, at least 200 labelled predictions per arm and 5 min per step, ...".</summary>
    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{string.Join(" → ", Steps.Select(s => $"{s} %"))}; each step needs {MinimumSamplesPerArm:N0} labelled predictions per arm and {RolloutAnalysis.Duration(MinimumStepDuration)}, and fails after {RolloutAnalysis.Duration(MaximumStepDuration)}; margins {TaskMetricMargin:0.###} on the task metric and {ErrorRateMargin:0.###} on the error rate at {Confidence:0.##} confidence.");

    public bool Equals(RolloutPolicy? other) =>
        other is not null && Steps.SequenceEqual(other.Steps) && MinimumSamplesPerArm == other.MinimumSamplesPerArm
        && MinimumStepDuration == other.MinimumStepDuration && MaximumStepDuration == other.MaximumStepDuration
        && TaskMetricMargin.Equals(other.TaskMetricMargin) && ErrorRateMargin.Equals(other.ErrorRateMargin) && Confidence.Equals(other.Confidence);

    public override int GetHashCode() => HashCode.Combine(Steps.Count == 0 ? 0 : Steps[^1], Steps.Count, MinimumSamplesPerArm, MinimumStepDuration, MaximumStepDuration,
        TaskMetricMargin, ErrorRateMargin, Confidence);
}
