using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Evaluation;
using Portal.Ml.Training;

namespace Portal.Ml.Tests.Evaluation;

public sealed class ResidualSummaryTests : IDisposable
{
    private readonly TrainingData _data = new();

    [Fact]
    public void AKnownSmallSetGivesItsHandComputedErrorsQuantilesAndHistogram()
    {
        // Residuals (actual - predicted): -2, -1, 0, 1, 4 → absolute 0, 1, 1, 2, 4.
        var summary = ResidualSummary.Of([(10, 12), (5, 6), (3, 3), (8, 7), (9, 5)])!;

        Assert.Equal(5, summary.Rows);
        Assert.Equal(1.6, summary.MeanAbsoluteError, 12);
        Assert.Equal(1.0, summary.MedianAbsoluteError, 12);
        Assert.Equal(3.2, summary.P90AbsoluteError, 12); // between 2 (rank 4) and 4 (rank 5), 60 % of the way
        Assert.Equal(4.0, summary.MaxAbsoluteError, 12);
        Assert.Equal(0.4, summary.MeanResidual, 12); // predicts a little too low on average
        Assert.Equal(-1.8, summary.ResidualQuantiles.P5, 12);
        Assert.Equal(-1.0, summary.ResidualQuantiles.P25, 12);
        Assert.Equal(0.0, summary.ResidualQuantiles.P50, 12);
        Assert.Equal(1.0, summary.ResidualQuantiles.P75, 12);
        Assert.Equal(3.4, summary.ResidualQuantiles.P95, 12);
        Assert.Equal(ResidualSummary.HistogramBins, summary.Histogram.Count);
        Assert.Equal(5, summary.Histogram.Sum(b => b.Count));
        Assert.Equal(-2.0, summary.Histogram[0].Lower, 12);
        Assert.Equal(4.0, summary.Histogram[^1].Upper, 12);
        Assert.Equal(1, summary.Histogram[^1].Count); // the largest residual falls in the last bin, whose upper edge it is
    }

    [Fact]
    public void RowsWithoutAFiniteValueAreLeftOutAndNoRowsGiveNoSummary()
    {
        Assert.Null(ResidualSummary.Of([]));
        Assert.Equal(1, ResidualSummary.Of([(1, double.NaN), (2, 1)])!.Rows);
    }

    [Fact]
    public async Task ARegressionRunCarriesResidualsThatAgreeWithMlNetsMeanAbsoluteError()
    {
        var request = _data.Request(MlTask.Regression, TrainerCatalog.FastTree, new Dictionary<string, double> { ["numberOfTrees"] = 20 });

        var result = await new ModelTrainer().TrainAsync(request, new RecordingObserver(), CancellationToken.None);

        var residuals = Assert.IsType<ResidualSummary>(result.Residuals);
        Assert.Equal(result.ValidationRows, residuals.Rows);
        Assert.Equal(result.Metrics["meanAbsoluteError"], residuals.MeanAbsoluteError, 1e-3 * result.Metrics["meanAbsoluteError"]);
        Assert.True(residuals.MedianAbsoluteError <= residuals.P90AbsoluteError && residuals.P90AbsoluteError <= residuals.MaxAbsoluteError);
        Assert.Null(result.ConfusionMatrix);
    }

    public void Dispose() => _data.Dispose();
}
