using Portal.Domain.Registry;
using Portal.Domain.Rollouts;
using Portal.Domain.Serving;

namespace Portal.Web.Features.Rollouts;

/// <summary>One rollout in a list: which model, champion and canary versions, where it stands and why.</summary>
public sealed record RolloutRow(
    RolloutId Id,
    RegisteredModelId ModelId,
    string Model,
    int BaselineVersion,
    int CanaryVersion,
    RolloutState State,
    int StepIndex,
    int StepCount,
    int CanaryPercent,
    DateTime StartedUtc,
    DateTime StepStartedUtc,
    DateTime? EndedUtc,
    string? Reason,
    PromotionRequestId RequestId = default)
{
    public bool IsActive => State is RolloutState.Running or RolloutState.Paused;

    /// <summary>"step 2 of 3".</summary>
    public string StepText => $"step {Math.Min(StepIndex + 1, StepCount)} of {StepCount}";
}

/// <summary>One rollout with its policy, the verdict of each closed step and its live figures.</summary>
public sealed record RolloutPageDetails(RolloutRow Summary, RolloutPolicy Policy, IReadOnlyList<RolloutStepVerdict> Verdicts, RolloutFigures Figures);

/// <summary>The task metric live figures show: accuracy (classification, higher is better) or mean absolute error (regression, lower is better).</summary>
public enum RolloutTaskMetric
{
    Accuracy,
    MeanAbsoluteError,
}

/// <summary>Per-minute figures of both arms over the rollout's recent window, with two-sided confidence bands at <see cref="Confidence"/>.</summary>
public sealed record RolloutFigures(RolloutTaskMetric Metric, double Confidence, DateTime FromUtc, DateTime ToUtc, IReadOnlyList<RolloutMinute> Minutes)
{
    public IEnumerable<RolloutMinute> Arm(ServingArm arm) => Minutes.Where(m => m.Arm == arm);
}

/// <summary>
/// One arm in one minute: rows served and rows with an error (by request time), and predictions of that minute with ground truth
/// and the task metric on them (by prediction time, so late labels fill in earlier minutes). Bounds are null without data.
/// </summary>
public sealed record RolloutMinute(
    DateTime MinuteUtc,
    ServingArm Arm,
    long Rows,
    long ErrorRows,
    double? ErrorRate,
    double? ErrorRateLower,
    double? ErrorRateUpper,
    long Labelled,
    double? Metric,
    double? MetricLower,
    double? MetricUpper);
