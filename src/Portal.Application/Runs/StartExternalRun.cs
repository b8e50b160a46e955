using Portal.Domain.Datasets;
using Portal.Domain.Runs;

namespace Portal.Application.Runs;

/// <summary>An externally tracked run to open: its owner trains elsewhere and logs to it (<see cref="ExternalRunTracking"/>).</summary>
public sealed record StartExternalRun(
    string? Experiment,
    DatasetId? DatasetId = null,
    int? DatasetVersion = null,
    MlTask? Task = null,
    string? Trainer = null,
    string? LabelColumn = null);
