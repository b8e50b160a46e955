using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;

namespace Portal.Ml.Training;

/// <summary>
/// What to train: a CSV file (header row, comma separated, quoted fields allowed) described by its schema, the
/// label column and task, a trainer from <see cref="Catalog.TrainerCatalog"/> with hyperparameters, the share of
/// rows held out for validation, the seed, and where to write the ML.NET model zip.
/// </summary>
public sealed record TrainingRequest(
    string DataPath,
    IReadOnlyList<ColumnSchema> Schema,
    string LabelColumn,
    MlTask Task,
    string Trainer,
    IReadOnlyDictionary<string, double> Hyperparameters,
    double ValidationFraction,
    int Seed,
    string ModelOutputPath)
{
    /// <summary>Diagnostics thresholds; defaults when not set.</summary>
    public DiagnosticThresholds Thresholds { get; init; } = new();
}
