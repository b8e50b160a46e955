using Portal.Domain.Runs;
using Portal.Ml.Training;

namespace Portal.Ml.Tests;

/// <summary>Records what the trainer reports; optionally cancels a token when the first curve points arrive.</summary>
public sealed class RecordingObserver(CancellationTokenSource? cancelOnFirstPoints = null) : ITrainingObserver
{
    public List<(double Fraction, string Stage)> Progress { get; } = [];

    public List<MetricPoint> Points { get; } = [];

    public List<string> Logs { get; } = [];

    /// <summary>Every point as it arrived (kept when the curve is cleared), with whether it arrived before the clear.</summary>
    public List<(MetricPoint Point, bool BeforeClear)> Arrived { get; } = [];

    /// <summary>How many times the curve was cleared.</summary>
    public int Clears { get; private set; }

    /// <summary>Called with each batch of points as it arrives (on the trainer's thread).</summary>
    public Action<IReadOnlyList<MetricPoint>>? OnPoints { get; init; }

    public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct)
    {
        Progress.Add((fraction, stage));
        return ValueTask.CompletedTask;
    }

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct)
    {
        Points.AddRange(points);
        Arrived.AddRange(points.Select(p => (p, Clears == 0)));
        OnPoints?.Invoke(points);
        cancelOnFirstPoints?.Cancel();
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearCurveAsync(CancellationToken ct)
    {
        Points.Clear();
        Clears++;
        return ValueTask.CompletedTask;
    }

    public ValueTask LogAsync(string message, CancellationToken ct)
    {
        Logs.Add(message);
        return ValueTask.CompletedTask;
    }
}
