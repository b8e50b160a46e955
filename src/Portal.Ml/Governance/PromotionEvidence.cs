using System.Text.Json;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Evaluation;

namespace Portal.Ml.Governance;

/// <summary>
/// Everything a promotion's quality, explanation and fairness gates found, as plain records and lists (System.Text.Json
/// round-trips it; <see cref="ToJson"/> is the stored form the evidence hash is taken over).
/// </summary>
/// <param name="Champion">Null when the model has no champion (absolute thresholds then apply).</param>
/// <param name="Timings">How long each stage took, in the order they ran.</param>
public sealed record PromotionEvidence(
    MlTask Task,
    string LabelColumn,
    EvaluationRowsSummary Rows,
    ModelEvidence Challenger,
    ModelEvidence? Champion,
    QualityEvidence Quality,
    FeatureImportanceEvidence FeatureImportance,
    PredictionExplanation Explanation,
    FairnessEvidence Fairness,
    IReadOnlyList<StageTiming> Timings)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// How the worker writes a frozen snapshot (this record under <c>evaluation</c>, beside the gates and versions) and how
    /// readers read it back: camelCase, enums by name, non-finite numbers by name.
    /// </summary>
    public static JsonSerializerOptions FrozenSnapshotOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() },
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>camelCase JSON, as the API serves it.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static PromotionEvidence FromJson(string json) =>
        JsonSerializer.Deserialize<PromotionEvidence>(json, Json) ?? throw new JsonException("Stored promotion evidence is empty.");
}

/// <summary>Which rows both models were scored on, and how many.</summary>
/// <param name="Split">The run split whose validation rows were used; null when every row of the file was used.</param>
/// <param name="Description">In words: "all 100,000 rows of the hold-out file" or "the 375 validation rows of the challenger's run (not independent)".</param>
public sealed record EvaluationRowsSummary(int Rows, RunSplit? Split, string Description);

/// <summary>One model's metrics on the evaluation rows (ML.NET's evaluators), with its confusion matrix or residuals.</summary>
/// <param name="ModelType">The ML.NET model parameters' type (e.g. LightGbmBinaryModelParameters).</param>
/// <param name="Metrics">ML.NET metric names in camelCase; a non-finite value is null.</param>
public sealed record ModelEvidence(
    string ModelType,
    IReadOnlyList<NamedMetric> Metrics,
    ConfusionMatrixData? ConfusionMatrix,
    IReadOnlyList<PerClassMetrics> PerClass,
    ResidualSummary? Residuals)
{
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name)?.Value;
}

public sealed record NamedMetric(string Name, double? Value);

/// <summary>
/// The quality gate. With a champion: the paired comparisons on the same rows (McNemar and Newcombe's interval for
/// accuracy, a paired bootstrap for AUC, RMSE and MAE) and whether <see cref="Metric"/> improves by at least
/// <see cref="Margin"/> at <see cref="Confidence"/>. Without one: the absolute thresholds.
/// </summary>
/// <param name="Passes">The gate's verdict: the margin is reached at the confidence, or (no champion) every threshold of the task is met.</param>
/// <param name="Sentence">The verdict as a manager reads it.</param>
/// <param name="Accuracy">Classification with a champion: accuracy (binary) or micro accuracy (multiclass), paired.</param>
public sealed record QualityEvidence(
    string Metric,
    bool HasChampion,
    bool Passes,
    string Sentence,
    double Margin,
    double Confidence,
    AccuracyComparison? Accuracy,
    BootstrapInterval? Auc,
    BootstrapInterval? Rmse,
    BootstrapInterval? Mae,
    IReadOnlyList<ThresholdCheck> Thresholds);

/// <summary>One absolute threshold against the challenger's value.</summary>
public sealed record ThresholdCheck(string Metric, double Threshold, bool HigherIsBetter, double? Actual, bool Passed);

/// <summary>
/// Permutation feature importance of the challenger (ML.NET's PermutationFeatureImportance) per original input column.
/// </summary>
/// <param name="Metric">The metric whose change is reported (the run's primary metric).</param>
/// <param name="Rows">Rows it was computed on (the first rows of the evaluation rows).</param>
/// <param name="Columns">Most important first.</param>
/// <param name="Method">How slots were mapped to columns, in words.</param>
public sealed record FeatureImportanceEvidence(string Metric, int Permutations, int Rows, IReadOnlyList<ColumnImportance> Columns, string Method);

/// <param name="Importance">How much the metric gets worse when the column is shuffled (positive = the model relies on it), mean over permutations.</param>
/// <param name="StandardDeviation">Spread of that change over the permutations; null with a single permutation.</param>
/// <param name="Slots">Featurized slots the column became (1 for a number, one per category for a one-hot column).</param>
public sealed record ColumnImportance(string Column, double Importance, double? StandardDeviation, int Slots);

/// <summary>
/// The explanation of one prediction of the challenger: per-column contributions (ML.NET's feature contribution
/// calculation) where the model supports them; otherwise <see cref="Available"/> is false and <see cref="Statement"/>
/// says why, with no numbers.
/// </summary>
/// <param name="Row">The evaluation row explained (0-based).</param>
/// <param name="Prediction">What the model predicted for the row, in words.</param>
/// <param name="Contributions">Largest absolute contribution first; empty when not available.</param>
public sealed record PredictionExplanation(int Row, bool Available, string Statement, string Prediction, IReadOnlyList<FeatureContribution> Contributions);

/// <param name="Value">The row's value of the column, as the file holds it.</param>
/// <param name="Contribution">The column's contribution to the model's raw score (positive pushes the score up; summed over a one-hot column's slots).</param>
public sealed record FeatureContribution(string Column, string Value, double Contribution);

/// <summary>The fairness gate: per sensitive column, the groups' rates and the verdicts against the bounds.</summary>
/// <param name="Verdict">The worst verdict over the columns; null when fairness is not judged (not a binary model, or no sensitive column).</param>
public sealed record FairnessEvidence(FairnessVerdict? Verdict, string Statement, IReadOnlyList<FairnessReport> Columns);

public sealed record StageTiming(string Stage, double Seconds);
