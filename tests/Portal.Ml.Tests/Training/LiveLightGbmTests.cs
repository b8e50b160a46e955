using System.Diagnostics;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Training;
using Portal.Ml.Training.LightGbm;
using Xunit.Abstractions;

namespace Portal.Ml.Tests.Training;

/// <summary>
/// LightGbm, the default trainer, draws its curve while it trains (issue #9: a 39 s run showed "No curve points yet"
/// for 28 s): its own boosting loop on LightGBM's C API reports the loss after each iteration; the finished model is
/// ML.NET's, and the run's curve is still the replay of it.
/// </summary>
public sealed class LiveLightGbmTests(ITestOutputHelper output) : IDisposable
{
    private const int Iterations = 200;
    private readonly TrainingData _data = new();

    public static TheoryData<MlTask> Tasks() => [MlTask.Binary, MlTask.Multiclass, MlTask.Regression];

    [Theory]
    [MemberData(nameof(Tasks))]
    public async Task CurvePointsArriveWhileTheFitRunsAndAgreeWithTheReplayedCurve(MlTask task)
    {
        // Regression boosts fastest: on a quiet machine 200 iterations can end within one report interval, so it runs longer.
        var iterations = task == MlTask.Regression ? 5 * Iterations : Iterations;
        var request = _data.Request(task, TrainerCatalog.LightGbm, new Dictionary<string, double> { ["numberOfIterations"] = iterations, ["numberOfLeaves"] = 31 }, rows: task == MlTask.Multiclass ? 3000 : 8000);
        var observer = new RecordingObserver();

        var result = await new ModelTrainer().TrainAsync(request, observer, CancellationToken.None);

        var live = observer.Arrived.Where(a => a.BeforeClear).Select(a => a.Point).ToList();
        var replayStarts = observer.Progress.FindIndex(p => p.Stage == "replaying trees");
        var liveCounts = observer.Progress.Take(replayStarts).Where(p => p.Stage.StartsWith("training: iteration ", StringComparison.Ordinal)).ToList();

        // Points of a fit that had iterations still to run: the first batch ends below the budget.
        Assert.NotEmpty(live);
        Assert.True(live.Max(p => p.Step) > 0);
        Assert.True(liveCounts.Count >= 2, $"the iteration count should move during the fit: {string.Join(" | ", observer.Progress)}");
        Assert.Contains(liveCounts, p => !p.Stage.EndsWith($"{iterations} of {iterations}", StringComparison.Ordinal));
        Assert.All(liveCounts, p => Assert.InRange(p.Fraction, 0.2, 0.6));
        var firstBatchEnd = observer.Arrived.TakeWhile(a => a.BeforeClear).Select(a => a.Point.Step).Take(2).Max();
        Assert.True(firstBatchEnd < iterations, $"the first live points came at step {firstBatchEnd}, after the fit");

        // Then exactly one clear, after which only the replay's points: the run's curve is the replay, step 0 to the end.
        Assert.Equal(1, observer.Clears);
        Assert.Equal(result.Curve.OrderBy(p => p.Key).ThenBy(p => p.Step), observer.Points.OrderBy(p => p.Key).ThenBy(p => p.Step));
        var lossName = task == MlTask.Regression ? "rootMeanSquaredError" : "logLoss";
        Assert.All(live, p => Assert.True(p.Key == $"train.{lossName}" || p.Key == $"validation.{lossName}", p.Key));

        // The live loss at each step is the replay's (the same rows, the same loss), up to float rounding of the tree thresholds.
        var replayed = result.Curve.ToDictionary(p => (p.Key, p.Step), p => p.Value);
        var worst = live.Max(p => Math.Abs(p.Value - replayed[(p.Key, p.Step)]) / Math.Max(1e-9, Math.Abs(replayed[(p.Key, p.Step)])));
        output.WriteLine($"{task}: {live.Count} live points, {live.Max(p => p.Step)} steps; worst relative difference from the replay {worst:E2}");
        Assert.Equal(result.Curve.Max(p => p.Step), live.Max(p => p.Step));
        Assert.True(worst < 1e-3, $"live points differ from the replayed curve by up to {worst:P3}");
    }

    [Fact]
    public async Task CancellingMidFitStopsWithinASecond()
    {
        var request = _data.Request(MlTask.Binary, TrainerCatalog.LightGbm, new Dictionary<string, double> { ["numberOfIterations"] = 5000, ["numberOfLeaves"] = 63 }, rows: 20000);
        using var cts = new CancellationTokenSource();
        var cancelled = Stopwatch.StartNew();
        var observer = new RecordingObserver
        {
            OnPoints = _ =>
            {
                if (!cts.IsCancellationRequested)
                {
                    cancelled.Restart();
                    cts.Cancel();
                }
            },
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ModelTrainer().TrainAsync(request, observer, cts.Token));

        output.WriteLine($"stopped {cancelled.Elapsed.TotalMilliseconds:F0} ms after the cancel, at step {observer.Arrived.Max(a => a.Point.Step)}");
        Assert.True(cts.IsCancellationRequested);
        Assert.InRange(cancelled.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(1));
        Assert.True(observer.Arrived.Max(a => a.Point.Step) < 5000);
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public async Task TheNativeFitIsAsGoodAsMlNetsOwn(MlTask task)
    {
        var hp = new Dictionary<string, double> { ["numberOfIterations"] = 100 };
        var native = await new ModelTrainer().TrainAsync(_data.Request(task, TrainerCatalog.LightGbm, hp, rows: 6000), new RecordingObserver(), CancellationToken.None);
        var mlNet = await new ModelTrainer { NativeLightGbm = false }.TrainAsync(_data.Request(task, TrainerCatalog.LightGbm, hp, rows: 6000), new RecordingObserver(), CancellationToken.None);

        foreach (var (key, value) in mlNet.Metrics)
        {
            output.WriteLine($"{task} {key}: ML.NET {value:G6}, native {native.Metrics[key]:G6}");
            Assert.Equal(value, native.Metrics[key], 1e-6);
        }
    }

    [Theory]
    [MemberData(nameof(Tasks))]
    public void TheParametersAreThoseMlNetsTrainerPassesToLightGbm(MlTask task)
    {
        var ml = new MLContext(5);
        var rows = Enumerable.Range(0, 300).Select(i => new Row
        {
            Label = task == MlTask.Regression ? i % 7 : i % 3,
            Features = [i % 11, i % 5, (i * 7) % 13],
        }).ToList();
        IDataView data = ml.Data.LoadFromEnumerable(rows);
        data = task switch
        {
            MlTask.Binary => ml.Transforms.CustomMapping<Row, BinaryLabel>((r, b) => b.BoolLabel = r.Label > 0, null).Fit(data).Transform(data),
            MlTask.Multiclass => ml.Transforms.Conversion.MapValueToKey("KeyLabel", "Label").Fit(data).Transform(data),
            _ => data,
        };
        var label = task switch { MlTask.Binary => "BoolLabel", MlTask.Multiclass => "KeyLabel", _ => "Label" };
        data = ml.Transforms.CopyColumns("Label2", label).Fit(data).Transform(data);
        data = ml.Transforms.DropColumns("Label").Fit(data).Transform(data);
        data = ml.Transforms.CopyColumns("Label", "Label2").Fit(data).Transform(data);
        var descriptor = TrainerCatalog.Find(task, TrainerCatalog.LightGbm)!;
        var hp = descriptor.Resolve(new Dictionary<string, double> { ["learningRate"] = 0.3, ["numberOfLeaves"] = 7, ["minimumExampleCountPerLeaf"] = 4, ["l2Regularization"] = 0.25 });
        var trainer = TrainerFactory.Create(ml, descriptor, hp, 42);
        trainer.Fit(data);

        var used = (Dictionary<string, object>)trainer.GetType().GetMethod("GetGbmParameters", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(trainer, null)!;
        var ours = LightGbmParameters.For(task, hp, 42, rows.Count, 3);
        Assert.Equal(LightGbmParameters.Join(used.OrderBy(p => p.Key, StringComparer.Ordinal)), LightGbmParameters.Join(ours.OrderBy(p => p.Key, StringComparer.Ordinal)));
    }

    public void Dispose() => _data.Dispose();

    private sealed class Row
    {
        public float Label { get; set; }

        [VectorType(3)]
        public float[] Features { get; set; } = [];
    }

    private sealed class BinaryLabel
    {
        public bool BoolLabel { get; set; }
    }
}
