using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;
using Portal.Ml.Training;

namespace Portal.Ml.Curves;

/// <summary>
/// Collects learning-curve points as they are computed, forwards them to the observer, and checks the
/// ExplodingLoss rule on every new point so the engine can stop the run at once.
/// </summary>
internal sealed class CurveRecorder(string lossName, ITrainingObserver observer, DiagnosticThresholds thresholds)
{
    private readonly List<MetricPoint> _train = [];
    private readonly List<MetricPoint> _validation = [];
    private readonly List<MetricPoint> _pending = [];

    public string TrainKey { get; } = $"train.{lossName}";

    public string ValidationKey { get; } = $"validation.{lossName}";

    public IReadOnlyList<MetricPoint> Train => _train;

    public IReadOnlyList<MetricPoint> Validation => _validation;

    public IReadOnlyList<MetricPoint> All => [.. _train.Concat(_validation).OrderBy(p => p.Step)];

    /// <summary>Adds one step; returns the ExplodingLoss finding when this point makes the loss explode.</summary>
    public DiagnosticFinding? Add(long step, double trainLoss, double validationLoss)
    {
        var t = new MetricPoint(TrainKey, trainLoss, step);
        var v = new MetricPoint(ValidationKey, validationLoss, step);
        _train.Add(t);
        _validation.Add(v);
        _pending.Add(t);
        _pending.Add(v);
        return LearningCurveRules.ExplodingLoss(_train, thresholds) ?? LearningCurveRules.ExplodingLoss(_validation, thresholds);
    }

    /// <summary>Sends the points added since the last flush.</summary>
    public async ValueTask FlushAsync(CancellationToken ct)
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending.ToList();
        _pending.Clear();
        await observer.MetricsAsync(batch, ct);
    }
}
