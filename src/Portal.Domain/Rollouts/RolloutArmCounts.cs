namespace Portal.Domain.Rollouts;

/// <summary>
/// What one arm of a rollout did over a window, as counted in the prediction log and its ground truth: rows served and rows
/// answered with an error (by request time); predictions with a classification label and how many were right; predictions
/// with a regression label, the sum of their absolute errors and of the squares (by prediction time).
/// </summary>
public sealed record RolloutArmCounts(
    long Rows,
    long ErrorRows,
    long ClassifiedLabelled,
    long Correct,
    long RegressionLabelled,
    double SumAbsoluteError,
    double SumSquaredAbsoluteError)
{
    public static RolloutArmCounts None { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
