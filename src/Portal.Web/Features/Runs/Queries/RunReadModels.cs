using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;
using Portal.Ml.Evaluation;

namespace Portal.Web.Features.Runs.Queries;

public sealed record DiagnosticDto(string Rule, string Severity, string Message, JsonElement Evidence);

public sealed record RunDetails(
    RunId RunId,
    ExperimentId ExperimentId,
    string Experiment,
    [property: JsonConverter(typeof(JsonStringEnumConverter))] RunStatus Status,
    string Mode,
    string? Task,
    string? Trainer,
    string? LabelColumn,
    DatasetVersionId? DatasetVersionId,
    string? DatasetSha256,
    double ValidationFraction,
    int Seed,
    Dictionary<string, double> Metrics,
    Dictionary<string, string> Params,
    Dictionary<string, string> Tags,
    IReadOnlyList<DiagnosticDto> Diagnostics,
    string? FailureReason,
    double Progress,
    string? ProgressStage,
    int Attempt,
    string SubmittedBy,
    DateTime SubmittedUtc,
    DateTime? StartedUtc,
    DateTime? FinishedUtc,
    double? DurationSeconds,
    string? ModelSha256,
    string? LibraryVersion,
    DatasetRef? Dataset,
    ModelEvaluation? Evaluation,
    string? StepsExplanation);

/// <summary>The dataset version a run trained on, by name, for links (null on a run that names none).</summary>
public sealed record DatasetRef(DatasetId DatasetId, string Name, int Version);

public sealed record RunRow(RunId Id, ExperimentId ExperimentId, string Experiment, [property: JsonConverter(typeof(JsonStringEnumConverter))] RunStatus Status, string? Trainer, string? Task, string SubmittedBy,
    DateTime SubmittedUtc, double? DurationSeconds, string? PrimaryMetric, double? PrimaryMetricValue, double Progress, DatasetRef? Dataset);

public sealed record RunQuery(
    ExperimentId? ExperimentId = null,
    RunStatus? Status = null,
    string? Trainer = null,
    string? SubmittedBy = null,
    double? MetricMin = null,
    double? MetricMax = null,
    string SortBy = "submitted",
    bool Descending = true,
    int Page = 0,
    int PageSize = 25,
    DatasetId? DatasetId = null,
    string? Metric = null)
{
    public static readonly IReadOnlyList<string> SortKeys = ["submitted", "metric", "trainer", "status"];

    /// <summary>The metrics runs are ranked by (each task's primary metric), which <see cref="Metric"/> may name.</summary>
    public static IReadOnlyList<MetricDefinition> RankingMetrics { get; } =
        [.. Enum.GetValues<MlTask>().Select(t => MetricCatalog.Find(Run.PrimaryMetricFor(t))!)];

    /// <summary>What is wrong with the query, said so that the caller can fix it; null when it is valid.</summary>
    public string? Problem() =>
        !SortKeys.Contains(SortBy, StringComparer.OrdinalIgnoreCase) ? $"sortBy must be one of {string.Join(", ", SortKeys)}."
        : Metric is not null && RankingMetrics.All(m => m.Name != Metric) ? $"metric must be one of {string.Join(", ", RankingMetrics.Select(m => m.Name))} (the primary metric of a task)."
        : MetricMin > MetricMax ? "metricMin must not exceed metricMax."
        : (MetricMin is { } min && !double.IsFinite(min)) || (MetricMax is { } max && !double.IsFinite(max)) ? "metricMin and metricMax must be finite numbers."
        : null;
}

public sealed record CurvePoint(long Step, double Value);

public sealed record RunLogDto(DateTime TimestampUtc, string Message);
