using System.Diagnostics;
using Portal.Domain.Runs;
using Portal.Ml.Training;

/// <summary>Prints the time at which each stage starts (bench "profile" mode).</summary>
internal sealed class StageTimer : ITrainingObserver
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string _stage = string.Empty;

    public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct)
    {
        if (stage != _stage)
        {
            Console.WriteLine($"  {_clock.Elapsed.TotalSeconds:F2}s {stage}");
            _stage = stage;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask ClearCurveAsync(CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask LogAsync(string message, CancellationToken ct)
    {
        Console.WriteLine($"  {_clock.Elapsed.TotalSeconds:F2}s log: {message}");
        return ValueTask.CompletedTask;
    }
}

/// <summary>Times a TrainAsync and when its first curve point arrived (bench "live" mode).</summary>
internal sealed class FirstPointTimer : ITrainingObserver
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    public TimeSpan? FirstPoint { get; private set; }

    public TimeSpan Elapsed => _clock.Elapsed;

    public ValueTask ProgressAsync(double fraction, string stage, CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> points, CancellationToken ct)
    {
        FirstPoint ??= _clock.Elapsed;
        return ValueTask.CompletedTask;
    }

    public ValueTask ClearCurveAsync(CancellationToken ct) => ValueTask.CompletedTask;

    public ValueTask LogAsync(string message, CancellationToken ct) => ValueTask.CompletedTask;
}
