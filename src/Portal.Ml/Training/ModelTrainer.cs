using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Trainers.FastTree;
using Portal.Domain.Datasets;
using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Curves;
using Portal.Ml.Evaluation;
using Portal.Ml.Featurization;
using Portal.Ml.Training.LightGbm;

namespace Portal.Ml.Training;

/// <summary>
/// Trains a model from a CSV file and its schema with live, honestly computed learning curves, evaluates it on
/// the validation split, runs the diagnostics, and saves the fitted pipeline (featurization + model) as an
/// ML.NET zip.
/// </summary>
/// <remarks>
/// How the curve is obtained depends on the trainer family (see docs/decisions/0003-learning-curves.md):
/// tree ensembles are fitted once and then replayed tree by tree over the featurized validation rows and an evenly
/// spaced sample of at most 10,000 training rows (the loss of the ensemble truncated after t trees — exact, no
/// extra training; parallel over fixed row blocks, summed in block order); L-BFGS is trained in chunks of
/// iterations with a warm start from the previous chunk's weights; SDCA, which has neither a warm start nor an
/// iteration callback in ML.NET 5, is fitted from scratch at 1, 2, 4, ... epochs beside the full-budget fit, except
/// the budgets from the full fit's best epoch on, which give the full model (see <see cref="BackgroundFits"/>). The
/// fits start as soon as the featurized training set is defined, beside the reading of the curve matrices; tree models
/// are evaluated from the replayed validation scores. Every point is the loss of a real model on real rows; nothing is
/// interpolated.
/// </remarks>
public sealed class ModelTrainer
{
    private const int LbfgsChunks = 10;
    private const int LeakageSampleRows = 20_000;
    private const int TreeTrainCurveRows = 10_000;

    /// <summary>
    /// Whether LightGbm trains in the portal's own boosting loop on LightGBM's C API, so its curve draws while it trains
    /// (on by default; see <see cref="LiveLightGbmFit"/>). Off, LightGbm trains in ML.NET's own fit and its curve appears
    /// when the replay begins: the training benchmark's baseline.
    /// </summary>
    public bool NativeLightGbm { get; init; } = true;

    /// <summary>The ML.NET version the engine runs with (from the Microsoft.ML assembly).</summary>
    public static string LibraryVersion { get; } = typeof(MLContext).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(MLContext).Assembly.GetName().Version?.ToString() ?? "unknown";

    public async Task<TrainingResult> TrainAsync(TrainingRequest request, ITrainingObserver observer, CancellationToken ct)
    {
        var errors = TrainerCatalog.Validate(request.Task, request.Trainer, request.Hyperparameters).ToList();
        if (request.ValidationFraction is <= 0 or >= 1)
        {
            errors.Add($"validationFraction must be between 0 and 1 (exclusive); got {request.ValidationFraction.ToString(CultureInfo.InvariantCulture)}.");
        }

        if (request.Schema.All(c => c.Name != request.LabelColumn))
        {
            errors.Add($"Label column '{request.LabelColumn}' is not in the schema.");
        }

        if (errors.Count > 0)
        {
            throw new TrainingValidationException(errors);
        }

        var descriptor = TrainerCatalog.Find(request.Task, request.Trainer)!;
        var hp = descriptor.Resolve(request.Hyperparameters);
        var stopwatch = Stopwatch.StartNew();
        var ml = new MLContext(request.Seed);

        await observer.ProgressAsync(0.02, "loading", ct);

        // One parse of the file into an in-memory cache of the typed columns; the raw table for the label mapping and
        // the data diagnostics, the split, the featurization and the fit all read that cache.
        var loader = SchemaFeaturizer.CreateLoader(ml, request.Schema, request.LabelColumn, request.Task);
        var inputSchema = loader.GetOutputSchema();
        var loaded = ml.Data.Cache(loader.Load(request.DataPath));
        var raw = await Task.Run(() => RawTable.Read(loaded, request.Schema), ct);
        var encoding = LabelEncoding.Create(request.Task, request.LabelColumn, raw.Column(request.LabelColumn));
        var identifierLike = IdentifierLike(request, raw);

        // The data diagnostics only read the raw table; they run on the other core while the featurization runs.
        var diagnostics = Task.Run(() => DataDiagnostics(request, raw, encoding), ct);

        ct.ThrowIfCancellationRequested();
        await observer.ProgressAsync(0.1, "featurizing", ct);
        IDataView data = loaded;
        if (request.Task == MlTask.Regression)
        {
            data = ml.Data.FilterRowsByMissingValues(data, request.LabelColumn);
        }

        var split = ml.Data.TrainTestSplit(data, request.ValidationFraction, seed: request.Seed);
        var labelTransform = SchemaFeaturizer.LabelEstimator(ml, request.LabelColumn, encoding).Fit(data);
        var (featureEstimator, _, notes) = SchemaFeaturizer.FeatureEstimator(ml, request.Schema, request.LabelColumn, descriptor.NeedsNormalization, identifierLike);
        foreach (var note in notes)
        {
            await observer.LogAsync(note, ct);
        }

        // Tree replay scores the training curve on a bounded, evenly spaced sample of the training rows (the
        // validation curve always uses every validation row); linear curves are cheap and use every training row.
        var trainCurveRows = descriptor.Family == TrainerFamily.TreeEnsemble ? TreeTrainCurveRows : int.MaxValue;
        var native = NativeLightGbm && descriptor.Name == TrainerCatalog.LightGbm;
        var trainLabelled = labelTransform.Transform(split.TrainSet);
        var featurizer = await Task.Run(() => featureEstimator.Fit(trainLabelled), ct);
        var trainSet = ml.Data.Cache(featurizer.Transform(trainLabelled));
        var validationSet = ml.Data.Cache(featurizer.Transform(labelTransform.Transform(split.TestSet)));

        // The fits start as soon as the featurized training set is defined (the first fills its cache as it reads);
        // the dense matrices the curves are computed from are read beside them.
        // The native LightGbm loop trains from the dense matrix of every training row, read here once (the training
        // curve's rows are its evenly spaced sample); LightGBM bins it while the validation rows are read.
        using var fits = BackgroundFits.Start(ml, request, descriptor, hp, trainSet, startTreeFit: !native);
        var readAll = native;
        var allTrain = await Task.Run(() => FeatureMatrix.Read(trainSet, request.Task, readAll ? int.MaxValue : trainCurveRows), ct);
        var trainMatrix = readAll ? allTrain.Sample(trainCurveRows) : allTrain;
        if (native && !LiveLightGbmFit.Supports(request.Task, allTrain))
        {
            native = false;
            fits.StartTreeFit(ml, request, descriptor, hp, trainSet);
        }

        var classNames = ClassNames(request.Task, encoding, trainSet);
        using var prepared = native ? LiveLightGbmFit.Prepare(request.Task, hp, request.Seed, allTrain, classNames.Count) : null;
        var validationMatrix = await Task.Run(() => FeatureMatrix.Read(validationSet, request.Task, int.MaxValue), ct);

        var findings = await diagnostics;
        foreach (var f in findings)
        {
            await observer.LogAsync($"{f.Rule}: {f.Message}", ct);
        }

        var sampleNote = trainMatrix.Rows < trainMatrix.SourceRows ? $" (training curve on an evenly spaced sample of {trainMatrix.Rows})" : string.Empty;
        await observer.LogAsync($"{trainMatrix.SourceRows} training rows{sampleNote}, {validationMatrix.Rows} validation rows, {trainMatrix.Width} features after featurization.", ct);

        var recorder = new CurveRecorder(request.Task == MlTask.Regression ? "rootMeanSquaredError" : "logLoss", observer, request.Thresholds);
        await observer.ProgressAsync(0.2, "training", ct);

        // Tree replay ends with every validation row's score under the full ensemble: for binary and regression models
        // the evaluation reads those (the scores ML.NET's scorer computes, evaluated by ML.NET's evaluator) instead of
        // scoring the validation set a second time.
        var (model, exploded, scored) = descriptor.Family switch
        {
            TrainerFamily.TreeEnsemble when prepared is not null => await TrainTreesAsync(ml, request, await FitLiveLightGbmAsync(ml, request, hp, trainSet, prepared, trainMatrix, validationMatrix, classNames.Count, recorder, observer, ct), trainMatrix, validationMatrix, recorder, observer, ct),
            TrainerFamily.TreeEnsemble => await TrainTreesAsync(ml, request, await fits.Model!.WaitAsync(ct), trainMatrix, validationMatrix, recorder, observer, ct),
            TrainerFamily.WarmStartLinear => await TrainLbfgsAsync(ml, hp, trainSet, trainMatrix, validationMatrix, recorder, observer, ct),
            _ => await TrainSdcaAsync(request.Task, hp, fits, trainMatrix, validationMatrix, recorder, observer, ct),
        };
        await recorder.FlushAsync(ct);

        if (exploded is not null)
        {
            findings.Add(exploded);
            await observer.LogAsync($"{exploded.Rule}: {exploded.Message} Training stopped.", ct);
            return new TrainingResult(new Dictionary<string, double>(), findings, null, [], string.Empty, 0, LibraryVersion,
                trainMatrix.SourceRows, validationMatrix.Rows, stopwatch.Elapsed, true, exploded.Message)
            { Curve = recorder.All, Trainer = descriptor.Name };
        }

        findings.AddRange(new[]
        {
            LearningCurveRules.Overfitting(recorder.Train, recorder.Validation, request.Thresholds),
            LearningCurveRules.LossNotDecreasing(recorder.Train, request.Thresholds),
        }.OfType<DiagnosticFinding>());

        await observer.ProgressAsync(0.9, "evaluating", ct);
        var trained = model ?? throw new InvalidOperationException("The trainer returned no model.");
        var (metrics, matrix, perClass, residuals) = ModelEvaluator.Evaluate(ml, request.Task, scored ?? trained.Transform(validationSet), classNames);

        await observer.ProgressAsync(0.95, "saving", ct);
        ITransformer final = request.Task == MlTask.Multiclass
            ? featurizer.Append(trained).Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(trained.Transform(validationSet)))
            : featurizer.Append(trained);
        var (sha, bytes) = Save(ml, final, inputSchema, request.ModelOutputPath);
        await observer.ProgressAsync(1, "done", ct);
        return new TrainingResult(metrics, findings, matrix, perClass, sha, bytes, LibraryVersion, trainMatrix.SourceRows, validationMatrix.Rows,
            stopwatch.Elapsed, false, null)
        { Curve = recorder.All, Trainer = descriptor.Name, Residuals = residuals };
    }

    /// <summary>
    /// Trains LightGbm in the live loop (its points arrive while it trains), then tells the observer that those points
    /// were provisional: the replay of the finished ML.NET model that follows is the run's curve.
    /// </summary>
    private static async Task<ITransformer> FitLiveLightGbmAsync(
        MLContext ml, TrainingRequest request, IReadOnlyDictionary<string, double> hp, IDataView trainSet, LiveLightGbmFit.PreparedBooster prepared,
        FeatureMatrix trainCurve, FeatureMatrix validation, int classes, CurveRecorder recorder, ITrainingObserver observer, CancellationToken ct)
    {
        var model = await LiveLightGbmFit.FitAsync(ml, request.Task, hp, trainSet, prepared, trainCurve, validation, classes, recorder, observer, ct);
        await observer.ClearCurveAsync(ct);
        return model;
    }

    private static async Task<(ITransformer?, DiagnosticFinding?, IDataView?)> TrainTreesAsync(
        MLContext ml, TrainingRequest request, ITransformer model, FeatureMatrix trainMatrix, FeatureMatrix validationMatrix, CurveRecorder recorder,
        ITrainingObserver observer, CancellationToken ct)
    {
        await observer.ProgressAsync(0.6, "replaying trees", ct);

        var (ensembles, probability, classProbabilities) = Ensembles(((ISingleFeaturePredictionTransformer<object>)model).Model);
        var classes = ensembles.Length;
        var steps = ensembles.Min(e => e.Trees.Count);
        var trainReplay = new ReplaySet(trainMatrix, classes, ensembles);
        var validationReplay = new ReplaySet(validationMatrix, classes, ensembles);
        var blocks = trainReplay.Blocks.Concat(validationReplay.Blocks).ToArray();

        // Loss of the rows [start, end) of a set under its current scores, as a sum (turned into the mean, or the
        // root mean square, over all rows once the blocks are added up in a fixed order).
        double LossSum(ReplaySet set, int start, int end)
        {
            var m = set.Matrix;
            var scores = set.Scores;
            double sum = 0;
            for (var i = start; i < end; i++)
            {
                switch (request.Task)
                {
                    case MlTask.Binary:
                        var p = probability!(scores[i]);
                        sum -= Math.Log2(Math.Max(m.BinaryLabels[i] ? p : 1 - p, CurveLoss.Epsilon));
                        break;
                    case MlTask.Multiclass when classProbabilities is not null:
                        sum += CurveLoss.NormalizedMulticlassRowLoss(scores.AsSpan(i * classes, classes), classProbabilities, m.ClassLabels[i]);
                        break;
                    case MlTask.Multiclass:
                        sum += CurveLoss.SoftmaxRowLoss(scores.AsSpan(i * classes, classes), m.ClassLabels[i]);
                        break;
                    default:
                        var d = scores[i] - m.NumericLabels[i];
                        sum += d * d;
                        break;
                }
            }

            return sum;
        }

        double Total(ReplaySet set, int block0, int count, double[,] partial, int step)
        {
            double sum = 0;
            for (var b = 0; b < count; b++)
            {
                sum += partial[block0 + b, step];
            }

            var mean = sum / set.Matrix.Rows;
            return request.Task == MlTask.Regression ? Math.Sqrt(mean) : mean;
        }

        // Trees are replayed in chunks of 10 steps. Within a chunk every block of rows is advanced through the
        // chunk's trees independently (in parallel); each block records its loss sum after every tree, and the
        // sums are added in block order, so the points do not depend on thread scheduling.
        const int ChunkSteps = 10;
        var replays = new TreeReplay[classes][];
        for (var c = 0; c < classes; c++)
        {
            replays[c] = ensembles[c].Trees.Take(steps).Select(t => new TreeReplay(t)).ToArray();
        }

        var initial = new double[blocks.Length, 1];
        Parallel.For(0, blocks.Length, new ParallelOptions { CancellationToken = ct }, b =>
        {
            var (set, start, end) = blocks[b];
            initial[b, 0] = LossSum(set, start, end);
        });
        var explosion = recorder.Add(0, Total(trainReplay, 0, trainReplay.Blocks.Count, initial, 0), Total(validationReplay, trainReplay.Blocks.Count, validationReplay.Blocks.Count, initial, 0));
        for (var t0 = 0; t0 < steps && explosion is null; t0 += ChunkSteps)
        {
            ct.ThrowIfCancellationRequested();
            var t1 = Math.Min(steps, t0 + ChunkSteps);
            var partial = new double[blocks.Length, t1 - t0];
            Parallel.For(0, blocks.Length, new ParallelOptions { CancellationToken = ct }, b =>
            {
                var (set, start, end) = blocks[b];
                var m = set.Matrix;
                for (var t = t0; t < t1; t++)
                {
                    for (var c = 0; c < classes; c++)
                    {
                        var tree = replays[c][t];
                        var weight = ensembles[c].TreeWeights[t];
                        for (var i = start; i < end; i++)
                        {
                            set.Scores[(i * classes) + c] += weight * tree.Evaluate(m.Row(i));
                        }
                    }

                    partial[b, t - t0] = LossSum(set, start, end);
                }
            });

            for (var t = t0; t < t1 && explosion is null; t++)
            {
                explosion = recorder.Add(t + 1, Total(trainReplay, 0, trainReplay.Blocks.Count, partial, t - t0), Total(validationReplay, trainReplay.Blocks.Count, validationReplay.Blocks.Count, partial, t - t0));
            }

            await recorder.FlushAsync(ct);
            await observer.ProgressAsync(0.6 + (0.3 * t1 / steps), "replaying trees", ct);
        }

        var scored = explosion is not null ? null : request.Task switch
        {
            MlTask.Binary => ml.Data.LoadFromEnumerable(validationReplay.Scores.Select((score, i) => new BinaryScore
            {
                Label = validationMatrix.BinaryLabels[i], Score = (float)score, Probability = (float)probability!(score), PredictedLabel = (float)score > 0,
            })),
            MlTask.Regression => ml.Data.LoadFromEnumerable(validationReplay.Scores.Select((score, i) => new RegressionScore { Label = validationMatrix.NumericLabels[i], Score = (float)score })),
            _ => null,
        };
        return (model, explosion, scored);
    }

    private static async Task<(ITransformer?, DiagnosticFinding?, IDataView?)> TrainLbfgsAsync(
        MLContext ml, IReadOnlyDictionary<string, double> hp, IDataView train,
        FeatureMatrix trainMatrix, FeatureMatrix validationMatrix, CurveRecorder recorder, ITrainingObserver observer, CancellationToken ct)
    {
        var total = (int)hp["maximumNumberOfIterations"];
        var chunk = Math.Max(1, (int)Math.Ceiling(total / (double)LbfgsChunks));
        var trainer = TrainerFactory.LbfgsTrainer(ml, hp, chunk);
        BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>? model = null;
        var done = 0;
        DiagnosticFinding? explosion = null;
        double? previous = null;
        while (done < total && explosion is null)
        {
            ct.ThrowIfCancellationRequested();
            var current = model;
            model = await Task.Run(() => current is null ? trainer.Fit(train) : trainer.Fit(train, current.Model.SubModel), ct);
            done += chunk;
            var linear = model.Model.SubModel;
            var calibrator = model.Model.Calibrator;
            double Probability(double s) => calibrator.PredictProbability((float)s);
            var trainLoss = Loss(MlTask.Binary, LinearScores(trainMatrix, linear.Weights, linear.Bias), trainMatrix, Probability, 1);
            var validationLoss = Loss(MlTask.Binary, LinearScores(validationMatrix, linear.Weights, linear.Bias), validationMatrix, Probability, 1);
            explosion = recorder.Add(done, trainLoss, validationLoss);
            await recorder.FlushAsync(ct);
            await observer.ProgressAsync(0.2 + (0.7 * Math.Min(done, total) / total), "training", ct);

            // A warm-started L-BFGS that no longer moves the training loss has converged; more chunks would only
            // repeat the same point.
            if (previous is { } p && Math.Abs(p - trainLoss) <= Math.Abs(p) * hp["optimizationTolerance"])
            {
                break;
            }

            previous = trainLoss;
        }

        return (model, explosion, null);
    }

    private static async Task<(ITransformer?, DiagnosticFinding?, IDataView?)> TrainSdcaAsync(
        MlTask task, IReadOnlyDictionary<string, double> hp, BackgroundFits fits, FeatureMatrix trainMatrix, FeatureMatrix validationMatrix,
        CurveRecorder recorder, ITrainingObserver observer, CancellationToken ct)
    {
        var total = (int)hp["maximumNumberOfIterations"];
        var firstDeduced = 0;
        await foreach (var (epochs, checkpoint, deduced) in fits.Checkpoints.ReadAllAsync(ct))
        {
            var explosion = await AddSdcaPointAsync(checkpoint, epochs);
            if (explosion is not null)
            {
                return (checkpoint, explosion, null);
            }

            if (deduced && firstDeduced == 0)
            {
                firstDeduced = epochs;
            }
        }

        var model = await fits.Model!.WaitAsync(ct);
        if (fits.BestEpoch is { } best && best < total)
        {
            var unfitted = firstDeduced > 0 ? $"; the checkpoints from {firstDeduced} epoch(s) on are that model and were not fitted again" : string.Empty;
            await observer.LogAsync($"SDCA's best epoch was {best} of the {total} allowed (its convergence check ended training there, or later epochs did not lower the training objective): every budget from {best} epoch(s) on gives that model, so the curve is flat from there{unfitted}.", ct);
        }

        return (model, await AddSdcaPointAsync(model, total), null);

        async Task<DiagnosticFinding?> AddSdcaPointAsync(ITransformer model, int epochs)
        {
            var (trainLoss, validationLoss) = LinearLosses(task, ((ISingleFeaturePredictionTransformer<object>)model).Model, trainMatrix, validationMatrix);
            var explosion = recorder.Add(epochs, trainLoss, validationLoss);
            await recorder.FlushAsync(ct);
            await observer.ProgressAsync(0.2 + (0.7 * epochs / total), "training", ct);
            return explosion;
        }
    }

    private static (double Train, double Validation) LinearLosses(MlTask task, object parameters, FeatureMatrix train, FeatureMatrix validation)
    {
        switch (parameters)
        {
            case CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator> binary:
            {
                double Probability(double s) => binary.Calibrator.PredictProbability((float)s);
                var w = binary.SubModel.Weights;
                var b = binary.SubModel.Bias;
                return (Loss(task, LinearScores(train, w, b), train, Probability, 1), Loss(task, LinearScores(validation, w, b), validation, Probability, 1));
            }

            case MaximumEntropyModelParameters maxEnt:
            {
                VBuffer<float>[] weights = [];
                maxEnt.GetWeights(ref weights, out var classes);
                var biases = maxEnt.GetBiases().ToArray();
                return (Loss(task, MulticlassLinearScores(train, weights, biases), train, null, classes),
                    Loss(task, MulticlassLinearScores(validation, weights, biases), validation, null, classes));
            }

            case LinearRegressionModelParameters regression:
                return (Loss(task, LinearScores(train, regression.Weights, regression.Bias), train, null, 1),
                    Loss(task, LinearScores(validation, regression.Weights, regression.Bias), validation, null, 1));
            default:
                throw new InvalidOperationException($"No curve computation for {parameters.GetType().Name}.");
        }
    }

    private static double[] LinearScores(FeatureMatrix m, IReadOnlyList<float> weights, float bias)
    {
        var w = weights.ToArray();
        var scores = new double[m.Rows];
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.Row(i);
            double s = bias;
            for (var j = 0; j < w.Length; j++)
            {
                s += w[j] * row[j];
            }

            scores[i] = s;
        }

        return scores;
    }

    private static double[] MulticlassLinearScores(FeatureMatrix m, VBuffer<float>[] weights, float[] biases)
    {
        var classes = biases.Length;
        var dense = weights.Select(w => w.DenseValues().ToArray()).ToArray();
        var scores = new double[m.Rows * classes];
        for (var i = 0; i < m.Rows; i++)
        {
            var row = m.Row(i);
            for (var c = 0; c < classes; c++)
            {
                double s = biases[c];
                for (var j = 0; j < dense[c].Length; j++)
                {
                    s += dense[c][j] * row[j];
                }

                scores[(i * classes) + c] = s;
            }
        }

        return scores;
    }

    private static double Loss(MlTask task, double[] scores, FeatureMatrix m, Func<double, double>? probability, int classes)
    {
        switch (task)
        {
            case MlTask.Binary:
                var p = new double[m.Rows];
                for (var i = 0; i < p.Length; i++)
                {
                    p[i] = probability!(scores[i]);
                }

                return CurveLoss.BinaryLogLoss(p, m.BinaryLabels);
            case MlTask.Multiclass:
                return CurveLoss.MulticlassLogLoss(scores, classes, m.ClassLabels);
            default:
                return CurveLoss.RootMeanSquaredError(scores, m.NumericLabels);
        }
    }

    /// <summary>The per-class tree ensembles of a fitted tree model and, for binary models, its probability calibrator.</summary>
    private static (RegressionTreeEnsemble[] Ensembles, Func<double, double>? Probability, Func<double, double>[]? ClassProbabilities) Ensembles(object parameters)
    {
        switch (parameters)
        {
            case CalibratedModelParametersBase<Microsoft.ML.Trainers.LightGbm.LightGbmBinaryModelParameters, PlattCalibrator> lgbm:
                return ([lgbm.SubModel.TrainedTreeEnsemble], s => lgbm.Calibrator.PredictProbability((float)s), null);
            case CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> fastTree:
                return ([fastTree.SubModel.TrainedTreeEnsemble], s => fastTree.Calibrator.PredictProbability((float)s), null);
            case TreeEnsembleModelParametersBasedOnRegressionTree regression:
                return ([regression.TrainedTreeEnsemble], null, null);
            case OneVersusAllModelParameters ova:
                // ML.NET 5 keeps the per-class LightGbm models of a multiclass model internal; read them by reflection
                // (guarded: a change of internals fails loudly here rather than drawing a wrong curve).
                var impl = typeof(OneVersusAllModelParameters).GetField("_impl", BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(ova)
                    ?? throw new InvalidOperationException("OneVersusAllModelParameters internals changed: no _impl.");
                var predictors = impl.GetType().GetProperty("Predictors", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)?.GetValue(impl) as Array
                    ?? throw new InvalidOperationException("OneVersusAllModelParameters internals changed: no Predictors.");
                var models = predictors.Cast<object>().ToList();
                if (models.All(m => m is TreeEnsembleModelParametersBasedOnRegressionTree))
                {
                    // Softmax output: raw per-class scores.
                    return (models.Cast<TreeEnsembleModelParametersBasedOnRegressionTree>().Select(m => m.TrainedTreeEnsemble).ToArray(), null, null);
                }

                // Probability normalisation: each class has its own calibrator; probabilities are divided by their sum.
                var calibrated = models.Select(m => m as CalibratedModelParametersBase<Microsoft.ML.Trainers.LightGbm.LightGbmBinaryModelParameters, PlattCalibrator>
                    ?? throw new InvalidOperationException($"Unexpected per-class model {m.GetType().Name}.")).ToList();
                return (calibrated.Select(c => c.SubModel.TrainedTreeEnsemble).ToArray(), null,
                    calibrated.Select(c => (Func<double, double>)(s => c.Calibrator.PredictProbability((float)s))).ToArray());
            default:
                throw new InvalidOperationException($"No tree replay for {parameters.GetType().Name}.");
        }
    }

    private static IReadOnlyList<string> ClassNames(MlTask task, LabelEncoding encoding, IDataView train)
    {
        if (task == MlTask.Binary)
        {
            // ML.NET's binary confusion matrix lists the positive class first.
            return [encoding.PositiveClass, encoding.NegativeClass];
        }

        if (task == MlTask.Multiclass)
        {
            VBuffer<ReadOnlyMemory<char>> keys = default;
            train.Schema[SchemaFeaturizer.LabelColumn].GetKeyValues(ref keys);
            return keys.DenseValues().Select(k => k.ToString()).ToList();
        }

        return [];
    }

    private static (string Sha, long Bytes) Save(MLContext ml, ITransformer model, DataViewSchema schema, string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null)
        {
            Directory.CreateDirectory(directory);
        }

        ml.Model.Save(model, schema, path);
        using var stream = File.OpenRead(path);
        var hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        return (hash, stream.Length);
    }

    private static List<DiagnosticFinding> DataDiagnostics(TrainingRequest request, RawTable raw, LabelEncoding encoding)
    {
        var t = request.Thresholds;
        var findings = new List<DiagnosticFinding>();
        var labels = raw.Column(request.LabelColumn);
        var features = request.Schema.Where(c => c.Name != request.LabelColumn).ToList();
        foreach (var c in features)
        {
            var numbers = raw.Numbers(c.Name);
            var constant = numbers is not null ? DataRules.ConstantColumn(c.Name, numbers) : DataRules.ConstantColumn(c.Name, raw.Column(c.Name));
            var missing = numbers is not null ? DataRules.MostlyMissing(c.Name, numbers, t) : DataRules.MostlyMissing(c.Name, raw.Column(c.Name), t);
            findings.AddRange(new[] { constant, missing }.OfType<DiagnosticFinding>());
        }

        if (request.Task != MlTask.Regression && DataRules.ClassImbalance(labels, t) is { } imbalance)
        {
            findings.Add(imbalance);
        }

        if (DataRules.TooFewRows(request.Task, raw.Rows, features.Count, request.Task == MlTask.Regression ? null : labels, t) is { } tooFew)
        {
            findings.Add(tooFew);
        }

        // Leakage on an evenly spaced sample keeps the check cheap on large files; a leak shows on 20,000 rows.
        var stride = Math.Max(1, raw.Rows / LeakageSampleRows);
        var sample = Enumerable.Range(0, raw.Rows).Where(i => i % stride == 0).ToArray();
        T[] Sampled<T>(T[] column) => Array.ConvertAll(sample, i => column[i]);
        var sampledLabels = Sampled(labels);
        var numericLabels = sampledLabels.Select(encoding.ToNumber).ToArray();
        foreach (var c in features)
        {
            var finding = c.Type switch
            {
                ColumnType.Numeric => LabelLeakageRule.Numeric(c.Name, Sampled(raw.Numbers(c.Name)!), numericLabels, request.Task, t),
                ColumnType.Categorical or ColumnType.Boolean => LabelLeakageRule.Categorical(c.Name, Sampled(raw.Column(c.Name)), sampledLabels, t),
                _ => null,
            };
            if (finding is not null)
            {
                findings.Add(finding);
            }
        }

        return findings;
    }

    private static HashSet<string> IdentifierLike(TrainingRequest request, RawTable raw) =>
        request.Schema
            .Where(c => c.Type == ColumnType.Categorical && c.Name != request.LabelColumn)
            .Where(c => raw.Column(c.Name).Distinct(StringComparer.Ordinal).Count() > Math.Max(50, raw.Rows / 2))
            .Select(c => c.Name)
            .ToHashSet(StringComparer.Ordinal);

    /// <summary>A validation row as ML.NET's binary scorer outputs it (the columns its evaluator reads).</summary>
    private sealed class BinaryScore
    {
        public bool Label { get; init; }

        public float Score { get; init; }

        public float Probability { get; init; }

        public bool PredictedLabel { get; init; }
    }

    /// <summary>A validation row as ML.NET's regression scorer outputs it.</summary>
    private sealed class RegressionScore
    {
        public float Label { get; init; }

        public float Score { get; init; }
    }

    /// <summary>The running scores of one split during tree replay, and its rows cut into fixed blocks.</summary>
    private sealed class ReplaySet
    {
        private const int BlockRows = 2048;

        public ReplaySet(FeatureMatrix matrix, int classes, RegressionTreeEnsemble[] ensembles)
        {
            Matrix = matrix;
            Scores = new double[matrix.Rows * classes];
            for (var i = 0; i < Scores.Length; i++)
            {
                Scores[i] = ensembles[i % classes].Bias;
            }

            var blocks = new List<(ReplaySet, int, int)>();
            for (var start = 0; start < matrix.Rows; start += BlockRows)
            {
                blocks.Add((this, start, Math.Min(matrix.Rows, start + BlockRows)));
            }

            Blocks = blocks;
        }

        public FeatureMatrix Matrix { get; }

        public double[] Scores { get; }

        public IReadOnlyList<(ReplaySet Set, int Start, int End)> Blocks { get; }
    }
}
