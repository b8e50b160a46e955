using Microsoft.ML;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Catalog;
using Portal.Ml.DemoData;
using Portal.Ml.Evaluation;
using Portal.Ml.Featurization;
using Portal.Ml.Governance;

namespace Portal.Ml.Tests.Governance;

public sealed class PromotionEvaluatorTests : IDisposable
{
    private readonly GovernanceData _data = new();
    private readonly PromotionEvaluator _evaluator = new();

    [Fact]
    public async Task ClearlyBetterChallengerReachesTheMarginAgainstAChampionThatNeedsAColumnTheChallengerLacks()
    {
        // The champion was trained on an older dataset version of three columns, one of which (age) the challenger does
        // not read; both are scored on the same 3,000 hold-out rows of the full file.
        var train = _data.Loans(4000, seed: 7);
        var (championCsv, championSchema) = _data.LoanProjection(train, "age", "term_months", "purpose");
        var (champion, _) = await _data.TrainAsync(championCsv, championSchema, LoanDefaultGenerator.Label, MlTask.Binary, TrainerCatalog.LightGbm);
        var (challengerCsv, challengerSchema) = _data.LoanProjection(train, [.. LoanDefaultGenerator.Schema.Select(c => c.Name).Where(n => n != "age")]);
        var (challenger, _) = await _data.TrainAsync(challengerCsv, challengerSchema, LoanDefaultGenerator.Label, MlTask.Binary, TrainerCatalog.LightGbm);
        var holdOut = _data.Loans(3000, seed: 99);
        var progress = new List<(double Fraction, string Stage)>();

        var evidence = await _evaluator.EvaluateAsync(Request(challenger, champion, holdOut, new PromotionEvaluationOptions { Margin = 0.02 }),
            (f, s, _) => { progress.Add((f, s)); return ValueTask.CompletedTask; }, CancellationToken.None);

        Assert.Equal(3000, evidence.Rows.Rows);
        Assert.True(evidence.Quality.Passes, evidence.Quality.Sentence);
        Assert.Equal("areaUnderRocCurve", evidence.Quality.Metric);
        Assert.True(evidence.Quality.Auc!.OneSidedLower >= 0.02, $"lower bound {evidence.Quality.Auc.OneSidedLower}");
        Assert.StartsWith("The challenger is better by", evidence.Quality.Sentence, StringComparison.Ordinal);
        Assert.EndsWith("so this gate passes.", evidence.Quality.Sentence, StringComparison.Ordinal);
        Assert.Equal(3000, evidence.Quality.Accuracy!.Outcomes.Rows);

        // The champion's metrics are those of ML.NET scoring its zip on the hold-out through its own loader: same rows.
        var ml = new MLContext(1);
        var view = SchemaFeaturizer.CreateLoader(ml, LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary).Load(holdOut);
        var encoding = LabelEncoding.Create(MlTask.Binary, LoanDefaultGenerator.Label, RawTable.Read(view, LoanDefaultGenerator.Schema).Column(LoanDefaultGenerator.Label));
        var scored = ml.Model.Load(champion, out _).Transform(SchemaFeaturizer.LabelEstimator(ml, LoanDefaultGenerator.Label, encoding).Fit(view).Transform(view));
        var (expected, _, _, _) = ModelEvaluator.Evaluate(ml, MlTask.Binary, scored, []);
        Assert.Equal(expected["areaUnderRocCurve"], evidence.Champion!.Metric("areaUnderRocCurve")!.Value, 12);
        Assert.Equal(expected["accuracy"], evidence.Champion.Metric("accuracy")!.Value, 12);
        Assert.Equal(3000, evidence.Champion.ConfusionMatrix!.Counts.Sum(r => r.Sum()));
        Assert.Equal(3000, evidence.Challenger.ConfusionMatrix!.Counts.Sum(r => r.Sum()));

        // Progress in stage order, ending at 1; a timing per stage; the evidence survives its stored form.
        Assert.Equal(["loading", "scoring", "paired test", "feature importance", "explanation", "fairness", "done"], progress.Select(p => p.Stage));
        Assert.Equal(1.0, progress[^1].Fraction);
        Assert.Equal(["load", "score", "paired test", "feature importance", "explanation", "fairness"], evidence.Timings.Select(t => t.Stage));
        var json = evidence.ToJson();
        Assert.Equal(json, PromotionEvidence.FromJson(json).ToJson());
    }

    [Fact]
    public async Task ChallengerEqualToTheChampionDoesNotReachTheMargin()
    {
        var (model, _) = await _data.TrainAsync(_data.Loans(3000, seed: 7), LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary, TrainerCatalog.LightGbm);
        var holdOut = _data.Loans(2000, seed: 99);

        var accuracy = await _evaluator.EvaluateAsync(Request(model, model, holdOut, new PromotionEvaluationOptions { GateMetric = "accuracy", Margin = 0.005 }), null, CancellationToken.None);
        var auc = await _evaluator.EvaluateAsync(Request(model, model, holdOut, new PromotionEvaluationOptions { Margin = 0.005 }), null, CancellationToken.None);

        Assert.False(accuracy.Quality.Passes);
        Assert.Equal(0, accuracy.Quality.Accuracy!.Outcomes.Discordant);
        Assert.Equal("The challenger and the champion do equally well on accuracy on these rows. The required improvement is 0.5 points, so this gate fails.", accuracy.Quality.Sentence);
        Assert.False(auc.Quality.Passes);
        Assert.Equal(0, auc.Quality.Auc!.Observed);
    }

    [Fact]
    public async Task WithoutAChampionTheAbsoluteThresholdsDecide()
    {
        var (model, _) = await _data.TrainAsync(_data.Loans(3000, seed: 7), LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary, TrainerCatalog.LightGbm);
        var holdOut = _data.Loans(2000, seed: 99);

        var lenient = await _evaluator.EvaluateAsync(Request(model, null, holdOut, new PromotionEvaluationOptions()), null, CancellationToken.None);
        var strict = await _evaluator.EvaluateAsync(Request(model, null, holdOut, new PromotionEvaluationOptions
        {
            AbsoluteThresholds = [new(MlTask.Binary, "areaUnderRocCurve", 0.99), new(MlTask.Binary, "logLoss", 2)],
        }), null, CancellationToken.None);

        Assert.Null(lenient.Champion);
        Assert.True(lenient.Quality.Passes, lenient.Quality.Sentence);
        Assert.False(strict.Quality.Passes);
        Assert.Equal([false, true], strict.Quality.Thresholds.Select(t => t.Passed));
        Assert.Contains("AUC (ROC)", strict.Quality.Sentence, StringComparison.Ordinal);
        Assert.EndsWith("This gate fails.", strict.Quality.Sentence, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ModelWhoseScoreDependsOnASensitiveColumnBreachesFairnessWhileAnUnrelatedColumnStaysWithinBounds()
    {
        var (model, _) = await _data.TrainAsync(_data.Synthetic(4000, seed: 3), GovernanceData.SyntheticSchema, "label", MlTask.Binary, TrainerCatalog.LightGbm);
        var holdOut = _data.Synthetic(3000, seed: 4);

        var evidence = await _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(holdOut, GovernanceData.SyntheticSchema), "label", MlTask.Binary, ["group", "region"]),
            null, CancellationToken.None);

        var group = evidence.Fairness.Columns.Single(c => c.Column == "group");
        var region = evidence.Fairness.Columns.Single(c => c.Column == "region");
        Assert.Equal(FairnessVerdict.Breached, group.SelectionRateVerdict);
        Assert.True(group.SelectionRateRatio < 0.8, $"ratio {group.SelectionRateRatio}");
        Assert.Equal(FairnessVerdict.WithinBounds, region.Verdict);
        Assert.Equal(FairnessVerdict.Breached, evidence.Fairness.Verdict);
        Assert.Contains("group:", evidence.Fairness.Statement, StringComparison.Ordinal);
        Assert.Contains("outside the bounds", evidence.Fairness.Statement, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PermutationImportanceRanksTheInformativeColumnFirstAndFoldsOneHotSlotsIntoTheirColumn()
    {
        var (model, _) = await _data.TrainAsync(_data.Synthetic(4000, seed: 3), GovernanceData.SyntheticSchema, "label", MlTask.Binary, TrainerCatalog.LightGbm);

        var evidence = await _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(_data.Synthetic(3000, seed: 4), GovernanceData.SyntheticSchema), "label", MlTask.Binary, [])
            { Options = new PromotionEvaluationOptions { PermutationCount = 3 } },
            null, CancellationToken.None);

        var columns = evidence.FeatureImportance.Columns;
        Assert.Equal("signal", columns[0].Column);
        Assert.True(columns[0].Importance > 5 * Math.Abs(columns.Single(c => c.Column == "noise1").Importance), string.Join(", ", columns.Select(c => $"{c.Column} {c.Importance}")));
        Assert.Equal(["colour", "group", "noise1", "noise2", "noise3", "region", "signal"], columns.Select(c => c.Column).Order(StringComparer.Ordinal));
        Assert.Equal(3, columns.Single(c => c.Column == "colour").Slots);
        Assert.All(columns, c => Assert.NotNull(c.StandardDeviation));
        Assert.Equal("areaUnderRocCurve", evidence.FeatureImportance.Metric);
        Assert.Equal(3000, evidence.FeatureImportance.Rows);
    }

    [Theory]
    [InlineData(TrainerCatalog.LightGbm)]
    [InlineData(TrainerCatalog.FastTree)]
    [InlineData(TrainerCatalog.SdcaLogisticRegression)]
    public async Task ContributionsExplainOnePredictionOfABinaryModel(string trainer)
    {
        var (model, _) = await _data.TrainAsync(_data.Synthetic(3000, seed: 3), GovernanceData.SyntheticSchema, "label", MlTask.Binary, trainer);
        var holdOut = _data.Synthetic(500, seed: 4);

        var evidence = await _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromStream(File.OpenRead(model)), null, new EvaluationRows(holdOut, GovernanceData.SyntheticSchema), "label", MlTask.Binary, [])
            { Options = new PromotionEvaluationOptions { ExplainedRow = 7 } },
            null, CancellationToken.None);

        var explanation = evidence.Explanation;
        Assert.True(explanation.Available, explanation.Statement);
        Assert.Equal(7, explanation.Row);
        Assert.Equal("signal", explanation.Contributions[0].Column);
        Assert.NotEqual(0, explanation.Contributions[0].Contribution);
        var row7 = File.ReadLines(holdOut).Skip(1 + 7).First().Split(',');
        Assert.Equal(float.Parse(row7[0], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture), explanation.Contributions[0].Value);
        Assert.Equal(row7[4], explanation.Contributions.Single(c => c.Column == "colour").Value);
        Assert.Matches("^(positive|negative) \\(probability of positive 0\\.[0-9]+\\)$", explanation.Prediction);
    }

    [Fact]
    public async Task ContributionsAreStatedAbsentForAMulticlassModel()
    {
        var train = _data.Loans(2000, seed: 7);
        var (model, _) = await _data.TrainAsync(train, LoanDefaultGenerator.Schema, "employment", MlTask.Multiclass, TrainerCatalog.SdcaMaximumEntropy);

        var evidence = await _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(_data.Loans(1000, seed: 99), LoanDefaultGenerator.Schema), "employment", MlTask.Multiclass, []),
            null, CancellationToken.None);

        Assert.False(evidence.Explanation.Available);
        Assert.Empty(evidence.Explanation.Contributions);
        Assert.Contains("not for multiclass models", evidence.Explanation.Statement, StringComparison.Ordinal);
        Assert.StartsWith("class ", evidence.Explanation.Prediction, StringComparison.Ordinal);
        Assert.Null(evidence.Fairness.Verdict);
        Assert.Equal(1000, evidence.Challenger.ConfusionMatrix!.Counts.Sum(r => r.Sum()));
    }

    [Theory]
    [InlineData(MlTask.Binary, TrainerCatalog.LightGbm, LoanDefaultGenerator.Label, "areaUnderRocCurve")]
    [InlineData(MlTask.Regression, TrainerCatalog.FastTree, "credit_score", "rootMeanSquaredError")]
    public async Task ValidationRowsOfARunAreExactlyTheRowsTheTrainerHeldOut(MlTask task, string trainer, string label, string metric)
    {
        var csv = _data.Loans(1500, seed: 7);
        var (model, result) = await _data.TrainAsync(csv, LoanDefaultGenerator.Schema, label, task, trainer, seed: 5);
        var split = new RunSplit(0.25, 5);

        var evidence = await _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(csv, LoanDefaultGenerator.Schema) { ValidationOf = split }, label, task, []),
            null, CancellationToken.None);
        var numbers = ValidationSplit.RowNumbers(csv, LoanDefaultGenerator.Schema, label, task, split);

        // The trainer's own metrics on its validation rows are reproduced exactly.
        Assert.Equal(result.ValidationRows, evidence.Rows.Rows);
        Assert.Equal(result.Metrics[metric], evidence.Challenger.Metric(metric)!.Value, 9);
        Assert.Contains("not independent", evidence.Rows.Description, StringComparison.Ordinal);

        // The row numbers name the same rows: a file of just those rows gives the same metrics.
        Assert.Equal(result.ValidationRows, numbers.Count);
        var lines = File.ReadAllLines(csv);
        var only = Path.Combine(_data.Folder, $"validation-{task}.csv");
        File.WriteAllLines(only, numbers.Select(n => lines[n + 1]).Prepend(lines[0]));
        var fromNumbers = await _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(only, LoanDefaultGenerator.Schema), label, task, []),
            null, CancellationToken.None);
        Assert.Equal(result.Metrics[metric], fromNumbers.Challenger.Metric(metric)!.Value, 9);
    }

    [Fact]
    public async Task UnknownSensitiveColumnAndAModelMissingItsInputsAreRefusedWithWhatToFix()
    {
        var train = _data.Loans(1500, seed: 7);
        var (model, _) = await _data.TrainAsync(train, LoanDefaultGenerator.Schema, LoanDefaultGenerator.Label, MlTask.Binary, TrainerCatalog.LightGbm);
        var (narrow, narrowSchema) = _data.LoanProjection(train, "age", "purpose");

        var unknown = await Assert.ThrowsAsync<PromotionEvaluationException>(() => _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(train, LoanDefaultGenerator.Schema), LoanDefaultGenerator.Label, MlTask.Binary, ["religion"]),
            null, CancellationToken.None));
        var missing = await Assert.ThrowsAsync<PromotionEvaluationException>(() => _evaluator.EvaluateAsync(
            new PromotionEvaluationRequest(ModelSource.FromFile(model), null, new EvaluationRows(narrow, narrowSchema), LoanDefaultGenerator.Label, MlTask.Binary, []),
            null, CancellationToken.None));

        Assert.Equal(["Sensitive column 'religion' is not in the evaluation rows."], unknown.Errors);
        Assert.StartsWith("The challenger model cannot be scored on these rows: it needs input columns the evaluation rows do not have", missing.Errors.Single(), StringComparison.Ordinal);
        Assert.Contains("'credit_score'", missing.Errors.Single(), StringComparison.Ordinal);
    }

    private static PromotionEvaluationRequest Request(string challenger, string? champion, string holdOut, PromotionEvaluationOptions options) =>
        new(ModelSource.FromFile(challenger), champion is null ? null : ModelSource.FromFile(champion), new EvaluationRows(holdOut, LoanDefaultGenerator.Schema),
            LoanDefaultGenerator.Label, MlTask.Binary, ["age"])
        { Options = options };

    public void Dispose() => _data.Dispose();
}
