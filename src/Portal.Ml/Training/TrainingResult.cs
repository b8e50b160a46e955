using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;
using Portal.Ml.Evaluation;

namespace Portal.Ml.Training;

/// <summary>
/// The outcome of a run: validation metrics (ML.NET names in camelCase), diagnostics, confusion matrix and
/// per-class metrics (classification), residual summary (regression), the saved model's SHA-256 and size, and the facts needed to reproduce it.
/// When <see cref="StoppedEarly"/> is true no model was saved and <see cref="StopReason"/> says why.
/// </summary>
public sealed record TrainingResult(
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<DiagnosticFinding> Diagnostics,
    ConfusionMatrixData? ConfusionMatrix,
    IReadOnlyList<PerClassMetrics> PerClass,
    string ModelSha256,
    long ModelBytes,
    string LibraryVersion,
    int TrainRows,
    int ValidationRows,
    TimeSpan Duration,
    bool StoppedEarly,
    string? StopReason)
{
    /// <summary>The learning curve as recorded (train.* and validation.* points).</summary>
    public IReadOnlyList<MetricPoint> Curve { get; init; } = [];

    /// <summary>Regression: how far the predictions are from the truth on the validation rows.</summary>
    public ResidualSummary? Residuals { get; init; }

    /// <summary>What the run page shows of the evaluation beyond the metrics (stored with the run).</summary>
    public ModelEvaluation Evaluation => new(ConfusionMatrix, PerClass, Residuals);

    /// <summary>Trainer name as run.</summary>
    public string Trainer { get; init; } = string.Empty;
}
