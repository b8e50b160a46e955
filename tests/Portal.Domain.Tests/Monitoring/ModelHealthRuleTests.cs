using Portal.Domain.Monitoring;
using Portal.Domain.Runs;

namespace Portal.Domain.Tests.Monitoring;

public sealed class ModelHealthRuleTests
{
    private static readonly MonitoringPolicy Policy = MonitoringPolicy.Default; // 5 points, 50 labels

    private static ModelHealthInputs Inputs(double? live = 0.85, long labels = 300, int drifted = 0, int open = 0, AlertSeverity? worst = null,
        int acknowledged = 0, bool regression = false, double? validation = 0.86, bool hasWindow = true) =>
        new(hasWindow, regression, validation, live, labels, drifted, open, worst, acknowledged);

    [Fact]
    public void AModelWithinTheAllowedDropWithoutDriftOrAlertsIsHealthy()
    {
        var (health, reason) = ModelHealthRule.Judge(Inputs(live: 0.82), Policy);

        Assert.Equal(ModelHealth.Healthy, health);
        Assert.Contains("Live accuracy 0.82 on 300 labels, validation 0.86", reason);
    }

    [Fact]
    public void LiveAccuracyMoreThanTheDropBelowValidationIsAnAlert()
    {
        var (health, reason) = ModelHealthRule.Judge(Inputs(live: 0.80), Policy);

        Assert.Equal(ModelHealth.Alert, health);
        Assert.Equal("Live accuracy 0.8 is 6 points below validation 0.86.", reason);
    }

    [Fact]
    public void AnAccuracyDropOnTooFewLabelsIsNotJudged()
    {
        Assert.Equal(ModelHealth.Healthy, ModelHealthRule.Judge(Inputs(live: 0.5, labels: 49), Policy).Health);
    }

    [Fact]
    public void ARegressionModelIsAnAlertWhenItsLiveMaeExceedsValidationByMoreThanTheDrop()
    {
        Assert.Equal(ModelHealth.Alert, ModelHealthRule.Judge(Inputs(regression: true, validation: 10, live: 10.6), Policy).Health);
        Assert.Equal(ModelHealth.Healthy, ModelHealthRule.Judge(Inputs(regression: true, validation: 10, live: 10.4), Policy).Health);
    }

    [Fact]
    public void DriftOrAcknowledgedOrInformationalAlertsAreToWatch()
    {
        Assert.Equal((ModelHealth.Watch, "2 drifted features."), ModelHealthRule.Judge(Inputs(drifted: 2), Policy));
        Assert.Equal(ModelHealth.Watch, ModelHealthRule.Judge(Inputs(acknowledged: 1), Policy).Health);
        Assert.Equal(ModelHealth.Watch, ModelHealthRule.Judge(Inputs(open: 1, worst: AlertSeverity.Info), Policy).Health);
    }

    [Fact]
    public void AnOpenWarningOrCriticalAlertIsAnAlert()
    {
        var (health, reason) = ModelHealthRule.Judge(Inputs(open: 2, worst: AlertSeverity.Warning, drifted: 1), Policy);

        Assert.Equal(ModelHealth.Alert, health);
        Assert.Equal("2 open alerts; 1 drifted feature.", reason);
    }

    [Fact]
    public void NoWindowAndNoAlertIsNoData()
    {
        Assert.Equal((ModelHealth.NoData, "No predictions logged yet."), ModelHealthRule.Judge(Inputs(hasWindow: false, live: null, labels: 0), Policy));
    }

    [Theory]
    [InlineData(MlTask.Binary, "accuracy")]
    [InlineData(MlTask.Multiclass, "microAccuracy")]
    [InlineData(MlTask.Regression, "meanAbsoluteError")]
    [InlineData(null, "accuracy")]
    public void LiveFiguresAreComparedWithTheChampionsMatchingValidationMetric(MlTask? task, string key)
    {
        Assert.Equal(key, ModelHealthRule.ValidationMetricKey(task));
    }
}
