using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Evaluation;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// Everything a model card states as fact about one model version, read from what its run stored (task, recipe, data and
/// its classification, metrics, evaluation, diagnostics) plus the registry's evidence (<see cref="ModelCardInputs"/>).
/// Nothing here is written by a person; the written sections are <see cref="ModelCardSectionText"/>.
/// </summary>
public sealed record ModelCardFacts(
    ModelVersionId VersionId,
    RunId RunId,
    string? ModelName,
    int? VersionNumber,
    ModelStage? Stage,
    string ExperimentName,
    RunMode Mode,
    RunStatus Status,
    MlTask? Task,
    string? LabelColumn,
    ModelCardRecipe Recipe,
    ModelCardDataset? Dataset,
    IReadOnlyList<ModelCardMetric> Metrics,
    ModelEvaluation? Evaluation,
    IReadOnlyList<ModelCardDiagnostic> Diagnostics,
    FeatureImportance? FeatureImportance,
    IReadOnlyList<FairnessRow>? Fairness,
    string? ModelSha256,
    string SubmittedByName,
    DateTime SubmittedUtc,
    DateTime? FinishedUtc,
    DateTime GeneratedUtc)
{
    /// <summary>"churn v3", or the run when the registry did not name the version.</summary>
    public string Title => ModelName is { } name ? VersionNumber is { } n ? $"{name} v{n}" : name : $"run {RunId}";
}

/// <summary>How the model was trained: trainer, hyperparameters, split and seed, library, rows on each side of the split.</summary>
/// <param name="ValidationFraction">Share of rows held out for validation (managed runs); null for an external run.</param>
/// <param name="Seed">The seed of the split and the trainer (managed runs); null for an external run.</param>
public sealed record ModelCardRecipe(
    string? Trainer,
    IReadOnlyList<ModelCardParameter> Parameters,
    double? ValidationFraction,
    int? Seed,
    string? LibraryVersion,
    long? TrainRows,
    long? ValidationRows);

/// <summary>A hyperparameter (or an external run's logged param) as stored.</summary>
public sealed record ModelCardParameter(string Name, string Value);

/// <summary>The dataset version the run trained on, with each column's type, personal-data suspicion and the DPO's classification.</summary>
public sealed record ModelCardDataset(
    DatasetId DatasetId,
    DatasetVersionId VersionId,
    string Name,
    int Version,
    long Rows,
    string Sha256,
    IReadOnlyList<ModelCardColumn> Columns)
{
    /// <summary>How many columns have each classification (the DPO's view of the data in one line).</summary>
    public IReadOnlyDictionary<DataClassification, int> ClassificationCounts =>
        Columns.GroupBy(c => c.Classification).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>One column of the training data.</summary>
public sealed record ModelCardColumn(
    string Name,
    ColumnType Type,
    bool IsLabel,
    bool PersonalDataSuspected,
    string? SuspicionReason,
    DataClassification Classification);

/// <summary>A final metric value with the catalogue's name for it and which way it improves.</summary>
public sealed record ModelCardMetric(string Key, string DisplayName, double Value, string DirectionText);

/// <summary>A training diagnostic finding.</summary>
public sealed record ModelCardDiagnostic(string Rule, DiagnosticSeverity Severity, string Message);

/// <summary>
/// Permutation feature importance: how much <paramref name="Metric"/> (a catalogue key) worsens when a feature's values are
/// shuffled on the evaluation rows, as the mean over repetitions and its standard deviation.
/// </summary>
public sealed record FeatureImportance(string Metric, IReadOnlyList<FeatureImportanceRow> Rows);

/// <summary>One feature's permutation importance (the metric's change, in its units) and its spread across repetitions.</summary>
public sealed record FeatureImportanceRow(string Feature, double Mean, double StandardDeviation);

/// <summary>One group of one sensitive column on the evaluation rows, with the verdict of that column.</summary>
/// <param name="TruePositiveRate">Null when the group has no actual positives.</param>
public sealed record FairnessRow(string Column, string Group, int Rows, double? TruePositiveRate, double SelectionRate, FairnessVerdict Verdict)
{
    /// <summary>The rows of a fairness report, one per group, in the report's order (largest group first).</summary>
    public static IEnumerable<FairnessRow> From(FairnessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report.Groups.Select(g => new FairnessRow(report.Column, g.Group, g.Rows, g.TruePositiveRate, g.SelectionRate, report.Verdict));
    }
}

/// <summary>
/// What the registry knows of the version and the card cannot read from its run: the model's name, the version's number and
/// stage, and the promotion evidence (feature importance, fairness). A null list means "not computed yet"; an empty fairness
/// list means it was computed and no column called for a group comparison.
/// </summary>
public sealed record ModelCardInputs(
    string? ModelName = null,
    int? VersionNumber = null,
    ModelStage? Stage = null,
    FeatureImportance? FeatureImportance = null,
    IReadOnlyList<FairnessRow>? Fairness = null)
{
    public static readonly ModelCardInputs None = new();
}
