using Portal.Domain.Runs;

namespace Portal.Ml.Training;

/// <summary>Receives a run's progress, learning-curve points and log lines while it trains.</summary>
public interface ITrainingObserver
{
    /// <summary>Progress between 0 and 1 with the name of the current stage.</summary>
    ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct);

    /// <summary>New curve points (train.* and validation.* keys), in step order.</summary>
    ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct);

    /// <summary>
    /// The curve points sent so far were provisional (a LightGbm fit's live points) and are dropped: the points sent
    /// from now on (the replay of the finished model, ML.NET's own evaluation) are the run's curve.
    /// </summary>
    ValueTask ClearCurveAsync(CancellationToken ct);

    /// <summary>A human-readable log line (including data diagnostics found before training).</summary>
    ValueTask LogAsync(string message, CancellationToken ct);
}
