using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Datasets;
using Portal.Domain.Formatting;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;
using Portal.Ml.Evaluation;
using Portal.Ml.Featurization;

namespace Portal.Ml.Governance;

/// <summary>Reports how far an evaluation has come (0–1) and the stage it is in.</summary>
public delegate ValueTask EvaluationProgress(double fraction, string stage, CancellationToken ct);

/// <summary>
/// Evaluates a promotion's evidence: scores the challenger and the champion on the same evaluation rows, compares them
/// with paired tests (or, without a champion, against absolute thresholds), computes the challenger's permutation
/// feature importance and the explanation of one prediction, and judges group fairness over the sensitive columns.
/// Pure: it reads the model zips and the CSV file and returns <see cref="PromotionEvidence"/>; nothing is stored.
/// </summary>
/// <remarks>
/// Same rows: each model reads the file through its own loader (the columns its signature names, typed as it expects;
/// a model may need columns the other does not), and the same row filter and split are applied to each view, so row i
/// of one is row i of the other. This is checked, not assumed: the labels each view reads must agree row by row.
/// </remarks>
public sealed class PromotionEvaluator
{
    public const string ChallengerRole = "challenger";
    public const string ChampionRole = "champion";

    public async Task<PromotionEvidence> EvaluateAsync(PromotionEvaluationRequest request, EvaluationProgress? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        progress ??= (_, _, _) => ValueTask.CompletedTask;
        var options = request.Options;
        Validate(request);
        var timings = new List<StageTiming>();
        var clock = Stopwatch.StartNew();
        async Task Stage(string name, double fraction)
        {
            if (timings.Count > 0 || clock.Elapsed > TimeSpan.Zero)
            {
                ct.ThrowIfCancellationRequested();
            }

            await progress(fraction, name, ct);
        }

        void Done(string name)
        {
            timings.Add(new StageTiming(name, Math.Round(clock.Elapsed.TotalSeconds, 3)));
            clock.Restart();
        }

        var ml = new MLContext(options.Seed);
        var task = request.Task;

        // Load: the models, and the rows' labels and sensitive columns as text.
        await Stage("loading", 0);
        var (challenger, champion, baseRows) = await Task.Run(() =>
        {
            var ch = EvaluatedModel.Load(ml, request.Challenger, ChallengerRole);
            var cp = request.Champion is null ? null : EvaluatedModel.Load(ml, request.Champion, ChampionRole);
            return (ch, cp, BaseRows(ml, request));
        }, ct);
        if (baseRows.Rows == 0)
        {
            throw new PromotionEvaluationException(["The evaluation rows are empty: both models need at least one row to be compared on."]);
        }

        if (options.ExplainedRow >= baseRows.Rows)
        {
            throw new PromotionEvaluationException([$"The explained row {options.ExplainedRow} is beyond the {baseRows.Rows} evaluation rows."]);
        }

        var labelText = baseRows.Column(request.LabelColumn);
        var encoding = task == MlTask.Binary ? LabelEncoding.Create(task, request.LabelColumn, labelText) : null;
        Done("load");

        // Score: each model on its own view of the same rows; ML.NET's evaluators give the metrics.
        await Stage("scoring", 0.1);
        var scoring = new[] { challenger, champion }.OfType<EvaluatedModel>()
            .Select(m => Task.Run(() => Score(ml, m, request, encoding, labelText), ct)).ToArray();
        var scores = await Task.WhenAll(scoring);
        var (challengerScores, championScores) = (scores[0], champion is null ? null : scores[1]);
        Done("score");

        await Stage("paired test", 0.35);
        var quality = await Task.Run(() => Quality(request, challengerScores, championScores), ct);
        Done("paired test");

        await Stage("feature importance", 0.45);
        var importance = await Task.Run(() => Importance(ml, challenger, challengerScores, request), ct);
        Done("feature importance");

        await Stage("explanation", 0.9);
        var explanation = await Task.Run(() => Explain(ml, challenger, challengerScores, request), ct);
        Done("explanation");

        await Stage("fairness", 0.95);
        var fairness = Fairness(request, baseRows, challengerScores);
        Done("fairness");

        var summary = new EvaluationRowsSummary(baseRows.Rows, request.Rows.ValidationOf, request.Rows.ValidationOf is null
            ? $"all {baseRows.Rows.ToString("N0", CultureInfo.InvariantCulture)} rows of the hold-out dataset version"
            : $"the {baseRows.Rows.ToString("N0", CultureInfo.InvariantCulture)} validation rows of the challenger's run (not independent: chosen from the data it was trained on)");
        await progress(1, "done", ct);
        return new PromotionEvidence(task, request.LabelColumn, summary, challengerScores.Evidence, championScores?.Evidence, quality, importance, explanation, fairness, timings);
    }

    private static void Validate(PromotionEvaluationRequest request)
    {
        var problems = new List<string>(request.Options.Problems(request.Task));
        var names = request.Rows.Schema.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        if (!names.Contains(request.LabelColumn))
        {
            problems.Add($"Label column '{request.LabelColumn}' is not in the evaluation rows.");
        }

        foreach (var s in request.SensitiveColumns.Where(s => !names.Contains(s)))
        {
            problems.Add($"Sensitive column '{s}' is not in the evaluation rows.");
        }

        if (request.Rows.ValidationOf is { ValidationFraction: <= 0 or >= 1 } split)
        {
            problems.Add($"A run's validation fraction is between 0 and 1 (exclusive); got {split.ValidationFraction.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (!File.Exists(request.Rows.DataPath))
        {
            problems.Add("The evaluation rows' file does not exist.");
        }

        if (problems.Count > 0)
        {
            throw new PromotionEvaluationException(problems);
        }
    }

    /// <summary>The label and the sensitive columns of the evaluation rows as text, after the trainer's filter and the split.</summary>
    private static RawTable BaseRows(MLContext ml, PromotionEvaluationRequest request)
    {
        var wanted = request.SensitiveColumns.Append(request.LabelColumn).ToHashSet(StringComparer.Ordinal);
        var schema = request.Rows.Schema.Where(c => wanted.Contains(c.Name)).ToList();
        var view = Restrict(ml, SchemaFeaturizer.CreateLoader(ml, schema, request.LabelColumn, request.Task).Load(request.Rows.DataPath), request);
        return RawTable.Read(view, schema);
    }

    /// <summary>The rows the evaluation uses: regression drops rows without a label (as the trainer does), then the run's validation part if asked.</summary>
    private static IDataView Restrict(MLContext ml, IDataView view, PromotionEvaluationRequest request)
    {
        if (request.Task == MlTask.Regression)
        {
            view = ml.Data.FilterRowsByMissingValues(view, request.LabelColumn);
        }

        return request.Rows.ValidationOf is { } split ? ValidationSplit.Validation(view, split) : view;
    }

    private static ModelScores Score(MLContext ml, EvaluatedModel model, PromotionEvaluationRequest request, LabelEncoding? encoding, string[] labelText)
    {
        var task = request.Task;
        var rows = ml.Data.Cache(Restrict(ml, model.Rows(ml, request.Rows, request.LabelColumn, task), request));
        var classes = task == MlTask.Multiclass ? model.Classes(model.Featurizer.Transform(rows)) : [];
        IEstimator<ITransformer> label = task == MlTask.Multiclass
            ? ml.Transforms.Conversion.MapValueToKey(SchemaFeaturizer.LabelColumn, request.LabelColumn,
                keyData: ml.Data.LoadFromEnumerable(classes.Select(c => new ClassName { Value = c })))
            : SchemaFeaturizer.LabelEstimator(ml, request.LabelColumn, encoding ?? LabelEncoding.Create(task, request.LabelColumn, []));
        var labelled = label.Fit(rows).Transform(rows);
        var predicted = model.Predictor.Transform(model.Featurizer.Transform(labelled));
        string[] kept = task switch
        {
            MlTask.Binary => ["Label", "Score", "Probability", "PredictedLabel"],
            MlTask.Multiclass => ["Label", "Score", "PredictedLabel"],
            _ => ["Label", "Score"],
        };
        var scored = ml.Data.Cache(ml.Transforms.SelectColumns(kept).Fit(predicted).Transform(predicted));
        var classNames = task == MlTask.Binary ? [encoding!.PositiveClass, encoding.NegativeClass] : classes;
        var (metrics, matrix, perClass, residuals) = ModelEvaluator.Evaluate(ml, task, scored, classNames);
        var evidence = new ModelEvidence(model.ModelType,
            [.. MetricCatalog.ForTask(task).Where(d => metrics.ContainsKey(d.Name)).Select(d => new NamedMetric(d.Name, double.IsFinite(metrics[d.Name]) ? metrics[d.Name] : null))],
            matrix, perClass, residuals);

        var result = new ModelScores(model, labelled, evidence, metrics, classes);
        switch (task)
        {
            case MlTask.Binary:
                result.Labels = [.. scored.GetColumn<bool>("Label")];
                result.Predicted = [.. scored.GetColumn<bool>("PredictedLabel")];
                result.Scores = [.. scored.GetColumn<float>("Score").Select(s => (double)s)];
                result.Correct = [.. result.Labels.Zip(result.Predicted, (l, p) => l == p)];
                Same(model, labelText.Select(t => encoding!.BinaryMap[t]).ToArray(), result.Labels);
                break;
            case MlTask.Multiclass:
                var predictedClass = scored.GetColumn<uint>("PredictedLabel").Select(k => k == 0 ? null : classes[(int)k - 1]).ToArray();
                var labelKeys = scored.GetColumn<uint>("Label").ToArray();
                Same(model, labelText.Select((t, i) => labelKeys.Length > i && labelKeys[i] == 0 ? null : t).ToArray(), labelKeys.Select(k => k == 0 ? null : classes[(int)k - 1]).ToArray());
                result.Correct = [.. predictedClass.Select((p, i) => p == labelText[i])];
                break;
            default:
                result.NumericLabels = [.. scored.GetColumn<float>("Label").Select(v => (double)v)];
                result.Scores = [.. scored.GetColumn<float>("Score").Select(s => (double)s)];
                Same(model, labelText.Select(t => double.Parse(t, CultureInfo.InvariantCulture)).ToArray(), result.NumericLabels);
                break;
        }

        return result;
    }

    /// <summary>The rows a model was scored on must be the evaluation rows, in order: its labels must be theirs.</summary>
    private static void Same<T>(EvaluatedModel model, IReadOnlyList<T> expected, IReadOnlyList<T> actual)
    {
        if (expected.Count != actual.Count || !expected.SequenceEqual(actual))
        {
            throw new InvalidOperationException(
                $"The {model.Role} model was not scored on the evaluation rows ({actual.Count} rows read, {expected.Count} expected, or labels differ): the comparison would not be paired.");
        }
    }

    private static QualityEvidence Quality(PromotionEvaluationRequest request, ModelScores challenger, ModelScores? champion)
    {
        var options = request.Options;
        var task = request.Task;
        var metric = options.GateMetricFor(task);
        if (champion is null)
        {
            return Absolute(request, challenger, metric);
        }

        var bootstrap = new BootstrapOptions(options.BootstrapResamples, options.Confidence, options.Seed);
        var accuracy = task == MlTask.Regression ? null
            : AccuracyComparison.Compare(PairedOutcomes.Count(challenger.Correct, champion.Correct), metric is "accuracy" or "microAccuracy" ? options.Margin : 0, options.Confidence);
        var auc = task == MlTask.Binary ? PairedBootstrap.AucImprovement(challenger.Labels, challenger.Scores, champion.Scores, bootstrap) : null;
        var rmse = task == MlTask.Regression ? PairedBootstrap.RmseImprovement(challenger.NumericLabels, challenger.Scores, champion.Scores, bootstrap) : null;
        var mae = task == MlTask.Regression ? PairedBootstrap.MaeImprovement(challenger.NumericLabels, challenger.Scores, champion.Scores, bootstrap) : null;

        var (passes, sentence) = metric switch
        {
            "accuracy" or "microAccuracy" => (accuracy!.ReachesMargin, ImprovementSentence.Describe(accuracy)),
            "areaUnderRocCurve" => (auc!.ReachesMargin(options.Margin), ImprovementSentence.Describe("AUC", auc, DifferenceUnit.Points, options.Margin)),
            "rootMeanSquaredError" => (rmse!.ReachesMargin(options.Margin), ImprovementSentence.Describe("RMSE", rmse, DifferenceUnit.MetricUnits, options.Margin)),
            _ => (mae!.ReachesMargin(options.Margin), ImprovementSentence.Describe("mean absolute error", mae, DifferenceUnit.MetricUnits, options.Margin)),
        };
        return new QualityEvidence(metric, true, passes, sentence, options.Margin, options.Confidence, accuracy, auc, rmse, mae, []);
    }

    private static QualityEvidence Absolute(PromotionEvaluationRequest request, ModelScores challenger, string metric)
    {
        var options = request.Options;
        var checks = options.AbsoluteThresholds.Where(t => t.Task == request.Task).Select(t =>
        {
            var higher = MetricCatalog.Find(t.Metric)!.Direction == MetricDirection.HigherIsBetter;
            double? actual = challenger.Metrics.TryGetValue(t.Metric, out var v) && double.IsFinite(v) ? v : null;
            var passed = actual is { } a && (higher ? a >= t.Value : a <= t.Value);
            return new ThresholdCheck(t.Metric, t.Value, higher, actual, passed);
        }).ToList();

        string sentence;
        if (checks.Count == 0)
        {
            sentence = $"There is no champion, and no absolute threshold is configured for {request.Task.ToString().ToLowerInvariant()} models: the challenger is not judged on its own.";
        }
        else
        {
            var parts = checks.Select(c =>
                $"{MetricCatalog.Describe(c.Metric).DisplayName} {(c.Actual is { } a ? NumberText.Format(a) : "could not be computed")} " +
                $"({(c.HigherIsBetter ? "at least" : "at most")} {NumberText.Format(c.Threshold)} required) — {(c.Passed ? "met" : "not met")}");
            sentence = $"There is no champion, so the challenger is judged on its own: {string.Join("; ", parts)}. This gate {(checks.All(c => c.Passed) ? "passes" : "fails")}.";
        }

        return new QualityEvidence(metric, false, checks.All(c => c.Passed), sentence, options.Margin, options.Confidence, null, null, null, null, checks);
    }

    private static FeatureImportanceEvidence Importance(MLContext ml, EvaluatedModel model, ModelScores scores, PromotionEvaluationRequest request)
    {
        var options = request.Options;
        var rows = scores.Rows;
        var used = options.PermutationRows is { } n && n < rows ? n : rows;
        var featurized = model.Featurizer.Transform(scores.Labelled);
        var data = ml.Data.Cache(ml.Transforms.SelectColumns(SchemaFeaturizer.LabelColumn, SchemaFeaturizer.FeaturesColumn).Fit(featurized)
            .Transform(used < rows ? ml.Data.TakeRows(featurized, used) : featurized));
        var metric = Run.PrimaryMetricFor(request.Task);
        var k = options.PermutationCount;

        // Every primary metric (AUC, macro accuracy, R²) is higher-is-better: the importance is its drop.
        var perSlot = request.Task switch
        {
            MlTask.Binary => ml.BinaryClassification.PermutationFeatureImportance(model.Predictor, data, permutationCount: k)
                .Select(s => (-s.AreaUnderRocCurve.Mean, s.AreaUnderRocCurve.StandardDeviation)).ToList(),
            MlTask.Multiclass => ml.MulticlassClassification.PermutationFeatureImportance(model.Predictor, data, permutationCount: k)
                .Select(s => (-s.MacroAccuracy.Mean, s.MacroAccuracy.StandardDeviation)).ToList(),
            _ => ml.Regression.PermutationFeatureImportance(model.Predictor, data, permutationCount: k)
                .Select(s => (-s.RSquared.Mean, s.RSquared.StandardDeviation)).ToList(),
        };

        var columns = SlotColumns(model, data.Schema[SchemaFeaturizer.FeaturesColumn]);
        var importance = columns.Select((c, i) => (Column: c, perSlot[i].Item1, perSlot[i].StandardDeviation))
            .GroupBy(x => x.Column, StringComparer.Ordinal)
            .Select(g => new ColumnImportance(g.Key, g.Sum(x => x.Item2),
                k > 1 ? Math.Sqrt(g.Sum(x => x.StandardDeviation * x.StandardDeviation)) : null, g.Count()))
            .OrderByDescending(c => c.Importance).ThenBy(c => c.Column, StringComparer.Ordinal)
            .ToList();
        var method = "ML.NET's permutation feature importance shuffles one featurized slot at a time; a number is one slot, so its importance is exactly that of its column. " +
            "A category becomes one slot per value (one-hot): its column's importance is the sum of its slots' changes and its spread the root of the sum of their variances, " +
            "an approximation of shuffling the whole column." +
            (used < rows ? $" Computed on the first {used.ToString("N0", CultureInfo.InvariantCulture)} of the {rows.ToString("N0", CultureInfo.InvariantCulture)} evaluation rows." : string.Empty);
        return new FeatureImportanceEvidence(metric, k, used, importance, method);
    }

    private static PredictionExplanation Explain(MLContext ml, EvaluatedModel model, ModelScores scores, PromotionEvaluationRequest request)
    {
        var r = request.Options.ExplainedRow;
        var row = ml.Data.Cache(ml.Data.TakeRows(r == 0 ? scores.Labelled : ml.Data.SkipRows(scores.Labelled, r), 1));
        var featurized = model.Featurizer.Transform(row);
        var predicted = model.Predictor.Transform(featurized);
        var prediction = request.Task switch
        {
            MlTask.Binary => Prediction(predicted),
            MlTask.Multiclass => scores.Classes.Count == 0 ? "?" : $"class {scores.Classes[(int)predicted.GetColumn<uint>("PredictedLabel").First() - 1]}",
            _ => $"{NumberText.Format(predicted.GetColumn<float>("Score").First())}",
        };

        var features = featurized.Schema[SchemaFeaturizer.FeaturesColumn];
        var slots = ((VectorDataViewType)features.Type).Size;
        var estimator = model.ContributionEstimator(ml, slots);
        if (estimator is null)
        {
            var why = request.Task == MlTask.Multiclass
                ? "ML.NET calculates per-feature contributions only for binary classification and regression models (linear and tree ensembles), not for multiclass models"
                : $"ML.NET cannot calculate per-feature contributions for {model.ModelType}";
            return new PredictionExplanation(r, false, $"No per-feature contributions for this prediction: {why}. The feature importance above still shows which inputs the model relies on overall.", prediction, []);
        }

        var contributions = estimator.Fit(featurized).Transform(featurized).GetColumn<VBuffer<float>>("FeatureContributions").First().DenseValues().ToArray();
        var columns = SlotColumns(model, features);
        var values = RowValues(row, model, request);
        var perColumn = columns.Select((c, i) => (Column: c, Value: (double)contributions[i]))
            .GroupBy(x => x.Column, StringComparer.Ordinal)
            .Select(g => new FeatureContribution(g.Key, values.GetValueOrDefault(g.Key, string.Empty), g.Sum(x => x.Value)))
            .OrderByDescending(c => Math.Abs(c.Contribution)).ThenBy(c => c.Column, StringComparer.Ordinal)
            .ToList();
        return new PredictionExplanation(r, true,
            $"How much each input moved the challenger's raw score for evaluation row {r} (ML.NET's feature contribution calculation for {model.ModelType}; positive pushes the score up, a category's slots are summed).",
            prediction, perColumn);
    }

    private static string Prediction(IDataView predicted)
    {
        var label = predicted.GetColumn<bool>("PredictedLabel").First();
        var probability = predicted.Schema.GetColumnOrNull("Probability") is null ? (float?)null : predicted.GetColumn<float>("Probability").First();
        return $"{(label ? "positive" : "negative")}{(probability is { } p ? $" (probability of positive {NumberText.Format(p)})" : string.Empty)}";
    }

    /// <summary>The explained row's value of each input column, as text.</summary>
    private static Dictionary<string, string> RowValues(IDataView row, EvaluatedModel model, PromotionEvaluationRequest request)
    {
        var schema = request.Rows.Schema
            .Where(c => c.Name != request.LabelColumn && row.Schema.GetColumnOrNull(c.Name) is { } col
                && (col.Type is TextDataViewType || col.Type.RawType == typeof(float) || col.Type is DateTimeDataViewType))
            .Select(c => c with { Type = row.Schema[c.Name].Type is TextDataViewType ? ColumnType.Categorical : c.Type })
            .ToList();
        var raw = RawTable.Read(row, schema);
        return schema.ToDictionary(c => c.Name, c => raw.Column(c.Name)[0], StringComparer.Ordinal);
    }

    /// <summary>
    /// The original input column of every slot of the Features vector, from the slot names the trainer's featurizer
    /// leaves (<c>__numeric.age</c>, <c>__numeric.__date_2</c>, <c>__cat_4.10000</c>; the number is the column's position
    /// in the model's input signature). A slot whose name does not say is named by itself.
    /// </summary>
    private static List<string> SlotColumns(EvaluatedModel model, DataViewSchema.Column features)
    {
        var count = ((VectorDataViewType)features.Type).Size;
        VBuffer<ReadOnlyMemory<char>> names = default;
        if (features.HasSlotNames())
        {
            features.GetSlotNames(ref names);
        }

        var dense = names.Length == count ? names.DenseValues().Select(n => n.ToString()).ToArray() : new string[count];
        // The position is the column's ordinal in the training file, which is its place in the signature when the
        // training schema listed every column of its file (a dataset version does). Should it not be, the type check
        // below keeps a slot from being pinned on a wrong column: the slot group keeps its own name instead.
        string ByPosition(string digits, Func<DataViewType, bool> expected, string fallback) =>
            int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var at) && at < model.Input.Count && expected(model.Input[at].Type)
                ? model.Input[at].Name
                : fallback;

        return [.. dense.Select((name, i) =>
        {
            if (string.IsNullOrEmpty(name))
            {
                return $"slot {i}";
            }

            if (name.StartsWith("__numeric.__date_", StringComparison.Ordinal))
            {
                return ByPosition(name["__numeric.__date_".Length..], t => t is DateTimeDataViewType, name["__numeric.".Length..]);
            }

            if (name.StartsWith("__numeric.", StringComparison.Ordinal))
            {
                return name["__numeric.".Length..];
            }

            if (name.StartsWith("__cat_", StringComparison.Ordinal) && name.IndexOf('.', StringComparison.Ordinal) is var dot and > 6)
            {
                return ByPosition(name[6..dot], t => t is TextDataViewType, name[..dot]);
            }

            return name;
        })];
    }

    private static FairnessEvidence Fairness(PromotionEvaluationRequest request, RawTable rows, ModelScores challenger)
    {
        if (request.Task != MlTask.Binary)
        {
            return new FairnessEvidence(null, $"Fairness is judged for binary classifiers only (true-positive and selection rates need a positive class); this is a {request.Task.ToString().ToLowerInvariant()} model.", []);
        }

        if (request.SensitiveColumns.Count == 0)
        {
            return new FairnessEvidence(null, "No column is classified as special category or marked sensitive, so there are no groups to compare.", []);
        }

        var bounds = request.Options.Fairness;
        var reports = request.SensitiveColumns.Distinct(StringComparer.Ordinal)
            .Select(c => GroupFairness.Evaluate(c, rows.Column(c), challenger.Labels, challenger.Predicted, bounds))
            .ToList();
        var verdict = reports.Max(r => r.Verdict);
        var parts = reports.Select(r =>
        {
            var tpr = r.TruePositiveRateGap is { } g
                ? $"true-positive rates differ by {NumberText.Format(g * 100)} points (at most {NumberText.Format(bounds.MaxTruePositiveRateGap * 100)} allowed)"
                : "true-positive rates could not be compared";
            var ratio = r.SelectionRateRatio is { } s
                ? $"the lowest selection rate is {NumberText.Format(s * 100)} % of the highest (at least {NumberText.Format(bounds.MinSelectionRateRatio * 100)} % required)"
                : "selection rates could not be compared";
            var small = r.TooSmallGroups.Count > 0 ? $"; too few rows to judge group(s) {string.Join(", ", r.TooSmallGroups)}" : string.Empty;
            return $"{r.Column}: {tpr}, {ratio}{small} — {Words(r.Verdict)}";
        });
        return new FairnessEvidence(verdict, $"{string.Join(". ", parts)}.", reports);
    }

    private static string Words(FairnessVerdict verdict) => verdict switch
    {
        FairnessVerdict.Breached => "outside the bounds",
        FairnessVerdict.TooFewRowsToJudge => "too few rows to judge every group",
        _ => "within the bounds",
    };

    private sealed class ClassName
    {
        public string Value { get; init; } = string.Empty;
    }

    /// <summary>One model's scores on the evaluation rows, row by row, with its labelled view for importance and explanation.</summary>
    private sealed class ModelScores(EvaluatedModel model, IDataView labelled, ModelEvidence evidence, Dictionary<string, double> metrics, IReadOnlyList<string> classes)
    {
        public EvaluatedModel Model { get; } = model;

        public IDataView Labelled { get; } = labelled;

        public ModelEvidence Evidence { get; } = evidence;

        public Dictionary<string, double> Metrics { get; } = metrics;

        public IReadOnlyList<string> Classes { get; } = classes;

        public int Rows => Math.Max(Correct.Length, Scores.Length);

        public bool[] Labels { get; set; } = [];

        public bool[] Predicted { get; set; } = [];

        public bool[] Correct { get; set; } = [];

        public double[] Scores { get; set; } = [];

        public double[] NumericLabels { get; set; } = [];
    }
}
