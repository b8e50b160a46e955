using Portal.Domain.Registry;

namespace Portal.Domain.Monitoring;

/// <summary>
/// What the monitoring loop measured over one window of a model's served predictions: the live task metric from the
/// ground truth received so far (late labels update it), the prediction distribution, drift per feature against the
/// training reference, and data quality. Written by the worker in the same transaction as its cursor, so a killed worker
/// resumes from the last committed window and loses none.
/// </summary>
public sealed class MonitoringWindow
{
    public const int MaxSummaryLength = 500;

    private MonitoringWindow()
    {
    }

    public MonitoringWindowId Id { get; private set; }

    public RegisteredModelId ModelId { get; private set; }

    /// <summary>The version that answered the window's rows (the champion; the baseline arm during a rollout).</summary>
    public ModelVersionId ModelVersionId { get; private set; }

    public int VersionNumber { get; private set; }

    public WindowKind Kind { get; private set; }

    /// <summary>Prediction time of the window's first row (inclusive).</summary>
    public DateTime StartUtc { get; private set; }

    /// <summary>Prediction time after the window's last row (exclusive).</summary>
    public DateTime EndUtc { get; private set; }

    /// <summary>Rows predicted in the window, refused rows included.</summary>
    public long Rows { get; private set; }

    /// <summary>Rows refused by the serving endpoint (schema violations).</summary>
    public long ErrorRows { get; private set; }

    /// <summary>Rows whose ground truth has arrived (so far).</summary>
    public long LabeledRows { get; private set; }

    /// <summary>Share of labelled classification rows predicted right; null for regression or without labels.</summary>
    public double? Accuracy { get; private set; }

    /// <summary>Mean absolute error of labelled regression rows; null for classification or without labels.</summary>
    public double? MeanAbsoluteError { get; private set; }

    public int DriftedFeatures { get; private set; }

    public IReadOnlyList<PredictionShare> Predictions { get; private set; } = [];

    public DriftReport Drift { get; private set; } = DriftReport.Empty;

    public WindowQuality Quality { get; private set; } = WindowQuality.Empty;

    /// <summary>One line a person reads in the alert feed or the log, e.g. "accuracy 0.81 on 412 labels; 2 features drifted".</summary>
    public string Summary { get; private set; } = "";

    public DateTime ComputedUtc { get; private set; }

    public static MonitoringWindow Record(MonitoringWindowId id, RegisteredModelId modelId, ModelVersionId versionId, int versionNumber, WindowKind kind,
        DateTimeOffset start, DateTimeOffset end, long rows, long errorRows, IReadOnlyList<PredictionShare> predictions, DriftReport drift,
        WindowQuality quality, string summary, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(drift);
        ArgumentNullException.ThrowIfNull(quality);
        ArgumentNullException.ThrowIfNull(summary);
        return new()
        {
            Id = id,
            ModelId = modelId,
            ModelVersionId = versionId,
            VersionNumber = versionNumber,
            Kind = kind,
            StartUtc = start.UtcDateTime,
            EndUtc = end.UtcDateTime,
            Rows = rows,
            ErrorRows = errorRows,
            Predictions = predictions,
            Drift = drift,
            DriftedFeatures = drift.DriftedCount,
            Quality = quality,
            Summary = summary.Length > MaxSummaryLength ? summary[..(MaxSummaryLength - 1)] + "…" : summary,
            ComputedUtc = now.UtcDateTime,
        };
    }

    /// <summary>Late labels: the ground truth received so far for the window's rows, re-read by the loop.</summary>
    public void UpdateLabels(long labeledRows, double? accuracy, double? meanAbsoluteError, DateTimeOffset now)
    {
        LabeledRows = labeledRows;
        Accuracy = accuracy;
        MeanAbsoluteError = meanAbsoluteError;
        ComputedUtc = now.UtcDateTime;
    }
}
