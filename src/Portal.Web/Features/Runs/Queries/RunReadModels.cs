using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;

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
    string? LibraryVersion);

public sealed record RunRow(RunId Id, ExperimentId ExperimentId, string Experiment, [property: JsonConverter(typeof(JsonStringEnumConverter))] RunStatus Status, string? Trainer, string? Task, string SubmittedBy,
    DateTime SubmittedUtc, double? DurationSeconds, string? PrimaryMetric, double? PrimaryMetricValue, double Progress);

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
    int PageSize = 25)
{
    public static readonly IReadOnlyList<string> SortKeys = ["submitted", "metric", "trainer", "status"];

    /// <summary>What is wrong with the query, said so that the caller can fix it; null when it is valid.</summary>
    public string? Problem() =>
        !SortKeys.Contains(SortBy, StringComparer.OrdinalIgnoreCase) ? $"sortBy must be one of {string.Join(", ", SortKeys)}."
        : MetricMin > MetricMax ? "metricMin must not exceed metricMax."
        : (MetricMin is { } min && !double.IsFinite(min)) || (MetricMax is { } max && !double.IsFinite(max)) ? "metricMin and metricMax must be finite numbers."
        : null;
}

public sealed record CurvePoint(long Step, double Value);

public sealed record RunLogDto(DateTime TimestampUtc, string Message);
