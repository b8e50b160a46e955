using Portal.Domain.Runs;
using Portal.Ml.Training;

namespace Portal.Ml.Tests;

/// <summary>Records what the trainer reports; optionally cancels a token when the first curve points arrive.</summary>
public sealed class RecordingObserver(CancellationTokenSource? cancelOnFirstPoints = null) : ITrainingObserver
{
    public List<(double Fraction, string Stage)> Progress { get; } = [];

    public List<MetricPoint> Points { get; } = [];

    public List<string> Logs { get; } = [];

    public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct)
    {
        Progress.Add((fraction, stage));
        return ValueTask.CompletedTask;
    }

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct)
    {
        Points.AddRange(points);
        cancelOnFirstPoints?.Cancel();
        return ValueTask.CompletedTask;
    }

    public ValueTask LogAsync(string message, CancellationToken ct)
    {
        Logs.Add(message);
        return ValueTask.CompletedTask;
    }
}
