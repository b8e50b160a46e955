using Portal.Domain.Datasets;
using Portal.Domain.Runs;

namespace Portal.Application.Runs;

/// <summary>
/// A managed run to train: the form and the API hand it over typed. What the caller may leave out is nullable,
/// and <see cref="RunSubmission"/> says what is missing (datasetVersion null means the dataset's latest version,
/// validationFraction 0.2, seed 42; hyperparameters left out take the trainer's defaults).
/// </summary>
public sealed record SubmitRun(
    string? Experiment,
    DatasetId? DatasetId,
    int? DatasetVersion,
    string? LabelColumn,
    MlTask? Task,
    string? Trainer,
    IReadOnlyDictionary<string, double> Hyperparameters,
    double? ValidationFraction = null,
    int? Seed = null);
