using Portal.Domain.Runs;
using Portal.Ml.Catalog;

namespace Portal.Ml.Tests.Catalog;

public sealed class TrainerCatalogTests
{
    [Fact]
    public void ValidChoiceHasNoErrors() =>
        Assert.Empty(TrainerCatalog.Validate(MlTask.Binary, "LightGbm", new Dictionary<string, double> { ["learningRate"] = 0.05, ["numberOfLeaves"] = 31 }));

    [Fact]
    public void UnknownTrainerIsNamed() =>
        Assert.Contains("Unknown trainer 'XgBoost'", Assert.Single(TrainerCatalog.Validate(MlTask.Binary, "XgBoost", null)));

    [Fact]
    public void TrainerOfAnotherTaskIsRejected() =>
        Assert.Contains("not available for regression", Assert.Single(TrainerCatalog.Validate(MlTask.Regression, "LbfgsLogisticRegression", null)));

    [Fact]
    public void UnknownHyperparameterIsNamed() =>
        Assert.Contains("Unknown hyperparameter 'depth'", Assert.Single(TrainerCatalog.Validate(MlTask.Binary, "FastTree", new Dictionary<string, double> { ["depth"] = 3 })));

    [Fact]
    public void OutOfRangeValueSaysRangeAndValue() =>
        Assert.Equal("learningRate must be between 0.0001 and 1000; got 5000.", Assert.Single(TrainerCatalog.Validate(MlTask.Binary, "LightGbm", new Dictionary<string, double> { ["learningRate"] = 5000 })));

    [Fact]
    public void TinyBoundsAreWrittenWithoutENotation() =>
        Assert.Equal("convergenceTolerance must be between 0.000001 and 1; got 5.",
            Assert.Single(TrainerCatalog.Validate(MlTask.Multiclass, "SdcaMaximumEntropy", new Dictionary<string, double> { ["convergenceTolerance"] = 5 })));

    [Fact]
    public void FractionalTreeCountIsRejected() =>
        Assert.Equal("numberOfTrees must be a whole number; got 10.5.", Assert.Single(TrainerCatalog.Validate(MlTask.Regression, "FastTree", new Dictionary<string, double> { ["numberOfTrees"] = 10.5 })));

    [Fact]
    public void AbsurdButSignCorrectLearningRatePassesSoTheRunCanShowDivergence() =>
        Assert.Empty(TrainerCatalog.Validate(MlTask.Binary, "LightGbm", new Dictionary<string, double> { ["learningRate"] = 500 }));
}
