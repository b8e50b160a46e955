using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Runs;

public sealed class MetricSeriesTests
{
    [Fact]
    public void AMetricLoggedAtSeveralStepsIsACurve() =>
        Assert.Equal(MetricKind.Curve, MetricSeries.KindOf([0, 1, 2]));

    [Fact]
    public void AMetricLoggedAtOneStepIsAFinalValueEvenWhenLoggedTwiceThere() =>
        Assert.Equal(MetricKind.Final, MetricSeries.KindOf([7, 7]));

    [Fact]
    public void AMetricWithoutPointsIsNoCurve() =>
        Assert.Equal(MetricKind.Final, MetricSeries.KindOf([]));
}
