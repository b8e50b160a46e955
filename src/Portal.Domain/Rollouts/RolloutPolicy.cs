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
    public static RolloutPolicy Default { get; } = new([10, 50, 100], 200, TimeSpan.FromMinutes(5), TimeSpan.FromHours(24), 0.02, 0.01, 0.95);
}
