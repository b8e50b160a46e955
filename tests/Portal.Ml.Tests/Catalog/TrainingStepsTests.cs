using Portal.Domain.Runs;
using Portal.Ml.Catalog;

namespace Portal.Ml.Tests.Catalog;

public sealed class TrainingStepsTests
{
    private static readonly Dictionary<string, double> Hundred = new() { ["numberOfIterations"] = 100 };

    [Fact]
    public void ALightGbmRunThatEndedBeforeItsBudgetSaysWhyAndThatItIsNotEarlyStopping()
    {
        var text = TrainingSteps.Explain(MlTask.Binary, TrainerCatalog.LightGbm, Hundred, 75, RunStatus.Succeeded, null)!;

        Assert.StartsWith("75 boosting rounds of the 100 allowed by numberOfIterations", text);
        Assert.Contains("no leaf could be split further", text);
        Assert.Contains("not early stopping", text);
    }

    [Fact]
    public void ARunThatUsedItsWholeBudgetSaysSo() =>
        Assert.Equal("100 boosting rounds of the 100 allowed by numberOfIterations: the whole budget was used.",
            TrainingSteps.Explain(MlTask.Binary, TrainerCatalog.LightGbm, Hundred, 100, RunStatus.Succeeded, null));

    [Fact]
    public void AnLbfgsRunThatEndedEarlyConverged() =>
        Assert.Contains("converged",
            TrainingSteps.Explain(MlTask.Binary, TrainerCatalog.LbfgsLogisticRegression, new Dictionary<string, double>(), 40, RunStatus.Succeeded, null));

    [Fact]
    public void ARunStoppedByExplodingLossOrCancelledSaysThat()
    {
        Assert.Contains("loss exploded", TrainingSteps.Explain(MlTask.Binary, TrainerCatalog.LightGbm, Hundred, 3, RunStatus.Failed, "Stopped early (ExplodingLoss): ...")!);
        Assert.Contains("cancelled", TrainingSteps.Explain(MlTask.Binary, TrainerCatalog.LightGbm, Hundred, 30, RunStatus.Cancelled, null)!);
    }

    [Fact]
    public void AnExternalRunOrOneWithoutACurveHasNothingToExplain()
    {
        Assert.Null(TrainingSteps.Explain(null, null, Hundred, 10, RunStatus.Succeeded, null));
        Assert.Null(TrainingSteps.Explain(MlTask.Binary, TrainerCatalog.LightGbm, Hundred, null, RunStatus.Queued, null));
    }
}
