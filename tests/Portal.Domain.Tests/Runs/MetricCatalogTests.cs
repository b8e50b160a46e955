using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Runs;

public sealed class MetricCatalogTests
{
    [Fact]
    public void LogLossReductionIsHigherIsBetterAlthoughItsNameHoldsLoss()
    {
        Assert.Equal(MetricDirection.HigherIsBetter, MetricCatalog.Find("logLossReduction")!.Direction);
        Assert.Equal(MetricDirection.LowerIsBetter, MetricCatalog.Find("logLoss")!.Direction);
    }

    [Fact]
    public void ACurveKeyIsReadByTheMetricItIsIn() =>
        Assert.Equal(MetricCatalog.Find("rootMeanSquaredError"), MetricCatalog.Find("validation.rootMeanSquaredError"));

    [Fact]
    public void AMetricNobodyDefinedHasNoDirection()
    {
        Assert.Null(MetricCatalog.Find("my_custom_loss"));
        Assert.Equal(MetricDirection.Unknown, MetricCatalog.Describe("my_custom_loss").Direction);
        Assert.Equal("my_custom_loss", MetricCatalog.Describe("my_custom_loss").DisplayName);
    }

    [Theory]
    [InlineData(MlTask.Binary)]
    [InlineData(MlTask.Multiclass)]
    [InlineData(MlTask.Regression)]
    public void EachTaskListsItsPrimaryMetricFirstAndEveryMetricHasADirection(MlTask task)
    {
        var metrics = MetricCatalog.ForTask(task);

        Assert.Equal(Run.PrimaryMetricFor(task), metrics[0].Name);
        Assert.All(metrics, m => Assert.NotEqual(MetricDirection.Unknown, m.Direction));
    }
}
