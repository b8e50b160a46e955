using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Training;

namespace Portal.Ml.Tests.Training;

/// <summary>
/// (LightGbm trains in the portal's own loop and reports its count with its live curve: see <see cref="LiveLightGbmTests"/>.
/// The probe is what FastTree, whose fit is ML.NET's own, reports.)
/// A long tree fit must show that it is moving while the native fit runs (issue #9: a 39 s LightGbm run sat at
/// "20 % · training" for 28 s): its iteration count arrives as progress before the fit returns and the replay begins.
/// </summary>
public sealed class LiveTreeProgressTests : IDisposable
{
    private readonly TrainingData _data = new();

    [Theory]
    [InlineData(MlTask.Binary, TrainerCatalog.FastTree, "numberOfTrees", "tree", 4000)] // FastTree builds small trees fast
    public async Task ALongTreeFitReportsItsIterationCountWhileItRuns(MlTask task, string trainer, string budget, string noun, int iterations)
    {
        var request = _data.Request(task, trainer, new Dictionary<string, double> { [budget] = iterations, ["numberOfLeaves"] = 31 }, rows: task == MlTask.Multiclass ? 3000 : 8000);
        var observer = new RecordingObserver();

        await new ModelTrainer { NativeLightGbm = false }.TrainAsync(request, observer, CancellationToken.None);

        var stages = observer.Progress.Select(p => p.Stage).ToList();
        var replay = stages.IndexOf("replaying trees");
        var live = observer.Progress.Take(replay)
            .Where(p => p.Stage.StartsWith($"training: {noun} ", StringComparison.Ordinal))
            .Select(p => (p.Fraction, Done: int.Parse(p.Stage.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture), p.Stage))
            .ToList();

        // Counts of a fit still running (below the budget), reported before the replay, that move.
        Assert.True(live.Count >= 2, $"expected the count to move during the fit; stages: {string.Join(" | ", stages)}");
        Assert.Contains(live, p => p.Done < iterations);
        Assert.All(live, p => Assert.EndsWith($" of {iterations}", p.Stage, StringComparison.Ordinal));
        Assert.All(live, p => Assert.InRange(p.Done, 0, iterations));
        Assert.True(live.Zip(live.Skip(1)).All(p => p.Second.Done > p.First.Done && p.Second.Fraction > p.First.Fraction), "counts and fractions must increase");
        Assert.All(live, p => Assert.InRange(p.Fraction, 0.2, 0.6));
        Assert.DoesNotContain(observer.Progress.Skip(replay), p => p.Stage.StartsWith("training: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheBenchmarkBaselineSwitchTurnsTheLiveCountOff()
    {
        var request = _data.Request(MlTask.Binary, TrainerCatalog.LightGbm, new Dictionary<string, double> { ["numberOfIterations"] = 400 }, rows: 8000);
        var observer = new RecordingObserver();

        await new ModelTrainer { LiveTreeProgress = false, NativeLightGbm = false }.TrainAsync(request, observer, CancellationToken.None);

        Assert.DoesNotContain(observer.Progress, p => p.Stage.StartsWith("training: ", StringComparison.Ordinal));
    }

    public void Dispose() => _data.Dispose();
}
