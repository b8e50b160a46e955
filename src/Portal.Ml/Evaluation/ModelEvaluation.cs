namespace Portal.Ml.Evaluation;

/// <summary>
/// What a finished run's evaluation shows beyond its metrics, stored with the run: for classification the confusion
/// matrix and per-class metrics, for regression the residual summary.
/// </summary>
public sealed record ModelEvaluation(ConfusionMatrixData? ConfusionMatrix, IReadOnlyList<PerClassMetrics> PerClass, ResidualSummary? Residuals)
{
    public bool IsEmpty => ConfusionMatrix is null && PerClass.Count == 0 && Residuals is null;
}
