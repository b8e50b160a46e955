namespace Portal.Domain.Rollouts;

/// <summary>
/// The analysis that closed one step of a rollout (or the hand that did): the step and its canary share, when, whether it
/// passed, in words, and the figures it was judged on, per arm, over the same window.
/// </summary>
public sealed record RolloutStepVerdict(
    int StepIndex,
    int CanaryPercent,
    DateTime WindowFromUtc,
    DateTime DecidedUtc,
    bool Passed,
    string Summary,
    RolloutArmFigures? Champion,
    RolloutArmFigures? Canary,
    string? DecidedBy);

/// <summary>One arm's figures over a window: requests (rows) served, rows with an error, predictions with ground truth and the task metric on them.</summary>
public sealed record RolloutArmFigures(
    long Rows,
    long ErrorRows,
    long LabelledRows,
    double? TaskMetric,
    double? TaskMetricLower,
    double? TaskMetricUpper);
