using Portal.Domain.Runs;

namespace Portal.Ml.Training;

/// <summary>An observer that ignores everything (benchmarks, callers that only want the result).</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static NullTrainingObserver Instance { get; } = new();

    public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask LogAsync(string message, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ClearCurveAsync(CancellationToken ct) => ValueTask.CompletedTask;
}
