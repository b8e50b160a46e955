namespace Portal.Domain.Runs;

/// <summary>
/// The one catalogue of the metrics Portal's trainer produces (ML.NET's evaluation metrics per task, and the losses
/// its learning curves are drawn in): display name, direction and format. Pages and the API read direction from
/// here; a metric an external run logs under another name has no definition and no direction, so nothing ranks it.
/// </summary>
public static class MetricCatalog
{
    /// <summary>Prefixes of learning-curve keys (<c>train.logLoss</c>): the curve is in the units of the metric after the prefix.</summary>
    public static readonly IReadOnlyList<string> CurvePrefixes = ["train.", "validation."];

    private static readonly MetricDefinition[] Definitions =
    [
        new("areaUnderRocCurve", "AUC (ROC)", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("areaUnderPrecisionRecallCurve", "AUC (precision–recall)", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("accuracy", "Accuracy", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("f1Score", "F1 score", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("positivePrecision", "Precision (positive class)", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("positiveRecall", "Recall (positive class)", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("negativePrecision", "Precision (negative class)", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("negativeRecall", "Recall (negative class)", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("macroAccuracy", "Macro accuracy", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("microAccuracy", "Micro accuracy", MetricDirection.HigherIsBetter, MetricFormat.Score),
        new("logLoss", "Log-loss", MetricDirection.LowerIsBetter, MetricFormat.Number),
        // The improvement over always predicting the class shares: 1 is perfect, 0 no better than the prior, so higher
        // is better although the name holds "loss".
        new("logLossReduction", "Log-loss reduction", MetricDirection.HigherIsBetter, MetricFormat.Number),
        new("rootMeanSquaredError", "RMSE", MetricDirection.LowerIsBetter, MetricFormat.Number),
        new("meanAbsoluteError", "Mean absolute error", MetricDirection.LowerIsBetter, MetricFormat.Number),
        new("meanSquaredError", "Mean squared error", MetricDirection.LowerIsBetter, MetricFormat.Number),
        new("rSquared", "R²", MetricDirection.HigherIsBetter, MetricFormat.Number),
    ];

    private static readonly Dictionary<string, MetricDefinition> ByName = Definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);

    private static readonly Dictionary<MlTask, string[]> TaskMetrics = new()
    {
        [MlTask.Binary] = ["areaUnderRocCurve", "accuracy", "f1Score", "logLoss", "logLossReduction", "areaUnderPrecisionRecallCurve",
            "positivePrecision", "positiveRecall", "negativePrecision", "negativeRecall"],
        [MlTask.Multiclass] = ["macroAccuracy", "microAccuracy", "logLoss", "logLossReduction"],
        [MlTask.Regression] = ["rootMeanSquaredError", "meanAbsoluteError", "meanSquaredError", "rSquared"],
    };

    public static IReadOnlyList<MetricDefinition> All => Definitions;

    /// <summary>The metrics the trainer evaluates a run of this task with, its primary metric first.</summary>
    public static IReadOnlyList<MetricDefinition> ForTask(MlTask task)
    {
        var primary = Run.PrimaryMetricFor(task);
        return [.. TaskMetrics[task].OrderBy(n => n == primary ? 0 : 1).Select(n => ByName[n])];
    }

    /// <summary>The definition of a metric key, a curve's key read by the metric it is in (<c>validation.logLoss</c> → log-loss); null when none.</summary>
    public static MetricDefinition? Find(string key)
    {
        if (ByName.TryGetValue(key, out var definition))
        {
            return definition;
        }

        var prefix = CurvePrefixes.FirstOrDefault(p => key.StartsWith(p, StringComparison.Ordinal));
        return prefix is not null && ByName.TryGetValue(key[prefix.Length..], out var curve) ? curve : null;
    }

    /// <summary>The definition of a key, or one that names it as it is, with no direction, for a metric nobody defined.</summary>
    public static MetricDefinition Describe(string key) => Find(key) ?? new MetricDefinition(key, key, MetricDirection.Unknown, MetricFormat.Number);
}
