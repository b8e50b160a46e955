using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;
using Microsoft.ML;
using Portal.Ml.Catalog;
using Portal.Ml.Evaluation;
using Portal.Ml.Featurization;
using Portal.Ml.Training;

namespace Portal.Ml.Tests.Training;

public sealed class ModelTrainerTests : IDisposable
{
    private readonly TrainingData _data = new();
    private readonly ModelTrainer _trainer = new();

    public static TheoryData<MlTask, string> Trainers()
    {
        var data = new TheoryData<MlTask, string>();
        foreach (var t in TrainerCatalog.All)
        {
            data.Add(t.Task, t.Name);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public async Task EveryCatalogueTrainerYieldsTaskMetricsAnIncreasingCurveAndAHashedModel(MlTask task, string trainer)
    {
        var request = _data.Request(task, trainer, Small(task, trainer));
        var observer = new RecordingObserver();

        var result = await _trainer.TrainAsync(request, observer, CancellationToken.None);

        string[] expected = task switch
        {
            MlTask.Binary => ["areaUnderRocCurve", "accuracy", "f1Score", "logLoss"],
            MlTask.Multiclass => ["macroAccuracy", "microAccuracy", "logLoss"],
            _ => ["rootMeanSquaredError", "meanAbsoluteError", "rSquared"],
        };
        Assert.All(expected, k => Assert.Contains(k, result.Metrics.Keys));
        Assert.Equal(MetricCatalog.ForTask(task).Select(d => d.Name).Order(), result.Metrics.Keys.Order()); // every metric has a definition (direction, name)
        Assert.False(result.StoppedEarly);
        var validation = observer.Points.Where(p => p.Key.StartsWith("validation.", StringComparison.Ordinal)).ToList();
        Assert.True(validation.Count >= 2, $"expected a curve, got {validation.Count} points");
        Assert.True(validation.Zip(validation.Skip(1)).All(p => p.Second.Step > p.First.Step), "steps must increase");
        Assert.Equal(64, result.ModelSha256.Length);
        Assert.True(File.Exists(request.ModelOutputPath));
        Assert.Equal(result.ModelBytes, new FileInfo(request.ModelOutputPath).Length);
        Assert.Equal(1500, result.TrainRows + result.ValidationRows);
        Assert.Equal(1.0, observer.Progress[^1].Fraction);
    }

    [Theory]
    [MemberData(nameof(Trainers))]
    public async Task LastCurvePointEqualsTheFinalEvaluation(MlTask task, string trainer)
    {
        var request = _data.Request(task, trainer, Small(task, trainer));

        var result = await _trainer.TrainAsync(request, new RecordingObserver(), CancellationToken.None);

        var key = task == MlTask.Regression ? "rootMeanSquaredError" : "logLoss";
        var last = result.Curve.Where(p => p.Key == $"validation.{key}").MaxBy(p => p.Step)!;
        Assert.Equal(result.Metrics[key], last.Value, 1e-3 * Math.Max(1, result.Metrics[key]));
    }

    [Theory]
    [InlineData(MlTask.Binary, TrainerCatalog.LightGbm)]
    [InlineData(MlTask.Binary, TrainerCatalog.FastTree)]
    [InlineData(MlTask.Regression, TrainerCatalog.LightGbm)]
    [InlineData(MlTask.Regression, TrainerCatalog.FastTree)]
    [InlineData(MlTask.Binary, TrainerCatalog.SdcaLogisticRegression)]
    public async Task MetricsEqualMlNetScoringTheSavedModelOnTheValidationSplit(MlTask task, string trainer)
    {
        // Tree models are evaluated from the scores the curve replay computed, not by a second scoring pass; the
        // metrics must be exactly those of ML.NET scoring the saved model on the same validation rows.
        var request = _data.Request(task, trainer, Small(task, trainer), seed: 5);
        var result = await _trainer.TrainAsync(request, new RecordingObserver(), CancellationToken.None);

        var ml = new MLContext(request.Seed);
        IDataView data = ml.Data.Cache(SchemaFeaturizer.CreateLoader(ml, request.Schema, request.LabelColumn, task).Load(request.DataPath));
        var encoding = LabelEncoding.Create(task, request.LabelColumn, RawTable.Read(data, request.Schema).Column(request.LabelColumn));
        if (task == MlTask.Regression)
        {
            data = ml.Data.FilterRowsByMissingValues(data, request.LabelColumn);
        }

        var validation = ml.Data.TrainTestSplit(data, request.ValidationFraction, seed: request.Seed).TestSet;
        var labelled = SchemaFeaturizer.LabelEstimator(ml, request.LabelColumn, encoding).Fit(data).Transform(validation);
        var scored = ml.Model.Load(request.ModelOutputPath, out _).Transform(labelled);
        var (expected, _, _, _) = ModelEvaluator.Evaluate(ml, task, scored, []);

        Assert.All(expected, m => Assert.Equal(m.Value, result.Metrics[m.Key]));
    }

    [Fact]
    public async Task SdcaCheckpointsFromTheBestEpochOnAreTheFullModelAndExactlyWhatThatBudgetTrains()
    {
        // On 100,000 loan rows SDCA's best epoch is the second (its duality gap is within ML.NET's tolerance there):
        // every budget from 2 epochs on gives the full model, so the curve is flat from 2, the 2- and 4-epoch points are
        // the full model (not fitted again), and the log says so. That deduction must be exact: a run whose whole
        // budget is 4 epochs ends on the very loss the 8-epoch curve shows at 4.
        var observer = new RecordingObserver();
        var result = await _trainer.TrainAsync(SdcaRequest(rows: 100_000), observer, CancellationToken.None);
        var fourEpochs = await _trainer.TrainAsync(SdcaRequest(rows: 100_000, epochs: 4), new RecordingObserver(), CancellationToken.None);

        var validation = result.Curve.Where(p => p.Key == "validation.logLoss").ToDictionary(p => p.Step, p => p.Value);
        Assert.Equal([1, 2, 4, 8], validation.Keys);
        Assert.NotEqual(validation[1], validation[2]);
        Assert.Equal(validation[2], validation[4]);
        Assert.Equal(validation[2], validation[8]);
        Assert.Contains(observer.Logs, l => l.StartsWith("SDCA's best epoch was 2 of the 8 allowed", StringComparison.Ordinal)
            && l.Contains("from 2 epoch(s) on are that model and were not fitted again", StringComparison.Ordinal));
        Assert.Equal(validation[4], fourEpochs.Curve.Where(p => p.Key == "validation.logLoss").MaxBy(p => p.Step)!.Value);
    }

    [Fact]
    public async Task SdcaCurveGoesOnWhenALargerBudgetOnlyRepeatsTheBestEpochSoFar()
    {
        // On 1,500 rows the second epoch raises SDCA's training objective, so a budget of 2 returns the model of epoch
        // 1; training goes on improving, though (4 and 8 epochs give better models): every checkpoint is fitted.
        var observer = new RecordingObserver();
        var result = await _trainer.TrainAsync(SdcaRequest(rows: 1500), observer, CancellationToken.None);

        var validation = result.Curve.Where(p => p.Key == "validation.logLoss").ToList();
        Assert.Equal([1, 2, 4, 8], validation.Select(p => p.Step));
        Assert.Equal(validation[0].Value, validation[1].Value);
        Assert.True(validation[3].Value < validation[1].Value, "the full budget must improve on the repeated point");
        Assert.DoesNotContain(observer.Logs, l => l.Contains("not fitted again", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TighterConvergenceToleranceLetsSdcaTrainPastTheEpochWhereTheDefaultStops()
    {
        // The default tolerance (0.1) ends SDCA on these 100,000 rows at epoch 2 (the test above); at 1e-6 it uses its
        // whole budget, and epochs 4 and 8 are models of their own, each fitted.
        var observer = new RecordingObserver();
        var hyperparameters = new Dictionary<string, double> { ["maximumNumberOfIterations"] = 8, ["convergenceTolerance"] = 1e-6 };

        var result = await _trainer.TrainAsync(_data.Request(MlTask.Binary, TrainerCatalog.SdcaLogisticRegression, hyperparameters, rows: 100_000), observer, CancellationToken.None);

        var train = result.Curve.Where(p => p.Key == "train.logLoss").ToDictionary(p => p.Step, p => p.Value);
        Assert.Equal([1, 2, 4, 8], train.Keys);
        Assert.NotEqual(train[2], train[4]);
        Assert.NotEqual(train[4], train[8]);
        Assert.DoesNotContain(observer.Logs, l => l.Contains("not fitted again", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(TrainerCatalog.LightGbm)]
    [InlineData(TrainerCatalog.SdcaLogisticRegression)]
    public async Task SameInputsAndSeedGiveTheSameMetrics(string trainer)
    {
        var first = await _trainer.TrainAsync(_data.Request(MlTask.Binary, trainer, Small(MlTask.Binary, trainer), seed: 3), new RecordingObserver(), CancellationToken.None);
        var second = await _trainer.TrainAsync(_data.Request(MlTask.Binary, trainer, Small(MlTask.Binary, trainer), seed: 3), new RecordingObserver(), CancellationToken.None);

        Assert.Equal(first.Metrics, second.Metrics);
        Assert.Equal(first.Curve, second.Curve);
    }

    [Fact]
    public async Task AbsurdLearningRateStopsTheRunEarlyWithExplodingLoss()
    {
        var request = _data.Request(MlTask.Binary, TrainerCatalog.LightGbm, new Dictionary<string, double> { ["learningRate"] = 500, ["numberOfIterations"] = 50 });
        var observer = new RecordingObserver();

        var result = await _trainer.TrainAsync(request, observer, CancellationToken.None);

        Assert.True(result.StoppedEarly);
        var finding = Assert.Single(result.Diagnostics, d => d.Rule == DiagnosticRules.ExplodingLoss);
        Assert.Equal(DiagnosticSeverity.Critical, finding.Severity);
        Assert.True(result.Curve.Max(p => p.Step) < 50, "the run must stop before its last tree");
        Assert.False(File.Exists(request.ModelOutputPath));
        Assert.Contains(observer.Logs, l => l.StartsWith(DiagnosticRules.ExplodingLoss, StringComparison.Ordinal));
    }

    [Fact]
    public async Task DataDiagnosticsReadNumbersDatesAndTextFromTheTrainingFile()
    {
        // Crafted: a constant number, a mostly missing number (blank fields, which must count as missing, not as 0), a
        // constant date, a feature that copies the label, and honest noise; the rules must fire on exactly the crafted
        // columns, with the values the file holds.
        var path = Path.Combine(Path.GetTempPath(), $"portal-diagnostics-{Guid.NewGuid():N}.csv");
        var random = new Random(3);
        var lines = new List<string> { "noise,fixed_rate,sparse,opened,copy,region,label" };
        for (var i = 0; i < 600; i++)
        {
            var label = random.Next(2);
            lines.Add(FormattableString.Invariant($"{random.NextDouble():F4},4.5,{(i % 10 == 0 ? "7" : string.Empty)},2024-01-15,{label},{(random.Next(2) == 0 ? "north" : "south")},{label}"));
        }

        await File.WriteAllLinesAsync(path, lines);
        try
        {
            IReadOnlyList<ColumnSchema> schema =
            [
                new(0, "noise", ColumnType.Numeric), new(1, "fixed_rate", ColumnType.Numeric), new(2, "sparse", ColumnType.Numeric),
                new(3, "opened", ColumnType.Date), new(4, "copy", ColumnType.Numeric), new(5, "region", ColumnType.Categorical),
                new(6, "label", ColumnType.Categorical),
            ];
            var request = new TrainingRequest(path, schema, "label", MlTask.Binary, TrainerCatalog.LbfgsLogisticRegression,
                new Dictionary<string, double>(), 0.25, 1, Path.ChangeExtension(path, ".zip"));

            var result = await _trainer.TrainAsync(request, new RecordingObserver(), CancellationToken.None);

            var constants = result.Diagnostics.Where(d => d.Rule == DiagnosticRules.ConstantColumn).ToDictionary(d => (string)d.Evidence["column"]!, d => (string?)d.Evidence["value"]);
            Assert.Equal(new Dictionary<string, string?> { ["fixed_rate"] = "4.5", ["sparse"] = "7", ["opened"] = "2024-01-15T00:00:00" }, constants);
            var missing = Assert.Single(result.Diagnostics, d => d.Rule == DiagnosticRules.MostlyMissing);
            Assert.Equal("sparse", (string)missing.Evidence["column"]!);
            Assert.Equal(540, (int)missing.Evidence["missing"]!);
            var leak = Assert.Single(result.Diagnostics, d => d.Rule == DiagnosticRules.LabelLeakage);
            Assert.Equal("copy", (string)leak.Evidence["column"]!);
        }
        finally
        {
            File.Delete(path);
            File.Delete(Path.ChangeExtension(path, ".zip"));
        }
    }

    [Fact]
    public async Task BadTrainerAndHyperparametersAreRejectedBeforeTraining()
    {
        var request = _data.Request(MlTask.Multiclass, TrainerCatalog.FastTree);

        var error = await Assert.ThrowsAsync<TrainingValidationException>(() => _trainer.TrainAsync(request, new RecordingObserver(), CancellationToken.None));

        Assert.Contains("not available for multiclass", error.Message);
    }

    [Fact]
    public async Task CancellingDuringTrainingStopsTheRun()
    {
        using var cts = new CancellationTokenSource();
        var request = _data.Request(MlTask.Binary, TrainerCatalog.LbfgsLogisticRegression);
        var observer = new RecordingObserver(cancelOnFirstPoints: cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _trainer.TrainAsync(request, observer, cts.Token));

        Assert.False(File.Exists(request.ModelOutputPath));
    }

    [Fact]
    public async Task LoanDemoDataTrainsToAUsefulAuc()
    {
        var request = _data.Request(MlTask.Binary, TrainerCatalog.LbfgsLogisticRegression, rows: 3000);

        var result = await _trainer.TrainAsync(request, new RecordingObserver(), CancellationToken.None);

        Assert.True(result.Metrics["areaUnderRocCurve"] > 0.7, $"AUC {result.Metrics["areaUnderRocCurve"]}");
        Assert.Equal("5.0.1", result.LibraryVersion);
    }

    public void Dispose() => _data.Dispose();

    private TrainingRequest SdcaRequest(int rows, int epochs = 8) =>
        _data.Request(MlTask.Binary, TrainerCatalog.SdcaLogisticRegression, new Dictionary<string, double> { ["maximumNumberOfIterations"] = epochs }, rows: rows);

    private static Dictionary<string, double> Small(MlTask task, string trainer) =>
        TrainerCatalog.Find(task, trainer)!.Family == TrainerFamily.TreeEnsemble
            ? new Dictionary<string, double> { [trainer == TrainerCatalog.FastTree ? "numberOfTrees" : "numberOfIterations"] = 30 }
            : [];
}
