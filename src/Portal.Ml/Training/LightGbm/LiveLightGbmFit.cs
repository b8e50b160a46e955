using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;
using Portal.Domain.Runs;
using Portal.Ml.Curves;
using Portal.Ml.Featurization;

namespace Portal.Ml.Training.LightGbm;

/// <summary>
/// Trains a LightGbm model with the portal's own boosting loop on LightGBM's C API, so its learning curve draws while it
/// trains: after the first iteration, then at most every <see cref="ReportInterval"/> and after the last, the loss of
/// the model so far on the validation rows and on the training-curve rows (the same rows the tree replay uses) is
/// read from the booster and goes to the observer, with the iteration count as progress (0.2 to 0.6). The finished LightGBM model is
/// handed to ML.NET's LightGbm trainer as a pretrained model, so the saved pipeline, its scoring and its evaluation
/// are ML.NET's own; the curve the run keeps is then the replay of that model (the live points are provisional).
/// </summary>
/// <remarks>
/// The parameters are those ML.NET's trainer passes (<see cref="LightGbmParameters"/>) and the training matrix is the
/// same featurized rows, so up to 65,536 training rows the model is the one ML.NET's own fit gives (both let LightGBM
/// bin every row). Above that ML.NET bins from a random sample of 65,536 rows it draws itself, while LightGBM's own
/// dataset construction bins from up to 200,000 rows, so bin edges (and the model) differ slightly; quality is
/// equivalent (tested). The loop checks the run's cancellation between iterations.
/// </remarks>
internal static class LiveLightGbmFit
{
    /// <summary>How often live curve points and the iteration count are reported.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// ML.NET's constructor of the multiclass prediction transformer that names the training label column (internal in
    /// ML.NET 5). ML.NET's pretrained-model multiclass trainer makes its transformer without a label column, so its
    /// predicted label has no class names (the key values the portal's pipeline maps back to labels); the transformer
    /// is made again from that trainer's model with the label column, exactly as ML.NET's own fit makes it. Null if
    /// ML.NET's internals changed: then multiclass LightGbm trains in ML.NET's own fit (a test pins that it is found).
    /// </summary>
    internal static readonly ConstructorInfo? MulticlassTransformer = typeof(MulticlassPredictionTransformer<OneVersusAllModelParameters>).GetConstructor(
        BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
        [typeof(IHostEnvironment), typeof(OneVersusAllModelParameters), typeof(DataViewSchema), typeof(string), typeof(string), typeof(string), typeof(string)], null);

    /// <summary>Whether the live loop can train this run (multiclass: every label is a class, and see <see cref="MulticlassTransformer"/>).</summary>
    public static bool Supports(MlTask task, FeatureMatrix train) =>
        task != MlTask.Multiclass || (MulticlassTransformer is not null && train.ClassLabels.All(c => c >= 0));

    /// <summary>
    /// Starts building LightGBM's training dataset and booster from the training matrix on a thread of its own, so the
    /// binning runs while the caller reads the validation rows (ML.NET's own fit likewise starts beside those reads).
    /// Dispose the result when done with it (also when <see cref="FitAsync"/> was never called).
    /// </summary>
    public static PreparedBooster Prepare(MlTask task, IReadOnlyDictionary<string, double> hp, int seed, FeatureMatrix train, int classes)
    {
        var parameters = LightGbmParameters.Join(LightGbmParameters.For(task, hp, seed, train.Rows, classes));
        return new PreparedBooster(train, Task.Run(() => LightGbmBooster.Create(task, train, parameters, classes)));
    }

    public static async Task<ITransformer> FitAsync(
        MLContext ml, MlTask task, IReadOnlyDictionary<string, double> hp, IDataView trainSet, PreparedBooster prepared,
        FeatureMatrix trainCurve, FeatureMatrix validation, int classes, CurveRecorder recorder, ITrainingObserver observer, CancellationToken ct)
    {
        var total = (int)hp["numberOfIterations"];
        var train = prepared.Train;
        var points = Channel.CreateUnbounded<(int Iteration, double Train, double Validation)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        if (train.Stride != 1 || trainCurve.SourceRows != train.Rows)
        {
            throw new ArgumentException("The training curve's rows must be a sample of the training matrix of every row.", nameof(trainCurve));
        }

        var fit = Task.Factory.StartNew(
            () =>
            {
                try
                {
                    // The losses cost a pass over the curve's rows (and the training rows' predictions), so they are
                    // computed only when a report is due: after the first iteration, then at most every
                    // ReportInterval, and after the last.
                    var booster = prepared.Booster.GetAwaiter().GetResult();
                    booster.AddEvaluation(validation);
                    var clock = Stopwatch.StartNew();
                    TimeSpan? lossAt = null;
                    int done = 0, reported = 0;
                    void Report()
                    {
                        points.Writer.TryWrite((done, Loss(task, booster.Predictions(0, trainCurve.Stride), trainCurve, classes), Loss(task, booster.Predictions(1), validation, classes)));
                        reported = done;
                        lossAt = clock.Elapsed;
                    }

                    for (var iteration = 1; iteration <= total; iteration++)
                    {
                        ct.ThrowIfCancellationRequested();
                        if (!booster.Update())
                        {
                            break;
                        }

                        done = iteration;
                        if (lossAt is not { } at || clock.Elapsed - at >= ReportInterval)
                        {
                            Report();
                        }
                    }

                    if (done > reported)
                    {
                        Report();
                    }

                    return booster.ModelString();
                }
                finally
                {
                    points.Writer.TryComplete();
                }
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        // Forward what the loop has produced, at most every ReportInterval (and once more at the end).
        var batch = new List<MetricPoint>();
        var last = 0;
        while (await points.Reader.WaitToReadAsync(CancellationToken.None))
        {
            while (points.Reader.TryRead(out var p))
            {
                batch.Add(new MetricPoint(recorder.TrainKey, p.Train, p.Iteration));
                batch.Add(new MetricPoint(recorder.ValidationKey, p.Validation, p.Iteration));
                last = p.Iteration;
            }

            if (batch.Count > 0)
            {
                await observer.MetricsAsync([.. batch], ct);
                batch.Clear();
                await observer.ProgressAsync(Math.Min(0.6, 0.2 + (0.4 * last / total)), $"training: iteration {last} of {total}", ct);
            }

            await Task.WhenAny(fit, Task.Delay(ReportInterval, CancellationToken.None));
        }

        var model = await fit;
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(model));
        const string features = SchemaFeaturizer.FeaturesColumn;
        return task switch
        {
            MlTask.Binary => ml.BinaryClassification.Trainers.LightGbm(stream, features).Fit(trainSet),
            MlTask.Multiclass => (ITransformer)MulticlassTransformer!.Invoke(
                [ml, ml.MulticlassClassification.Trainers.LightGbm(stream, features).Fit(trainSet).Model, trainSet.Schema, features, SchemaFeaturizer.LabelColumn, "Score", "PredictedLabel"]),
            _ => ml.Regression.Trainers.LightGbm(stream, features).Fit(trainSet),
        };
    }

    /// <summary>The curve's loss (as <see cref="CurveLoss"/> computes it for the replay) of LightGBM's predictions on a set.</summary>
    private static double Loss(MlTask task, double[] predictions, FeatureMatrix set, int classes) => task switch
    {
        MlTask.Binary => CurveLoss.BinaryLogLoss(predictions, set.BinaryLabels),
        MlTask.Multiclass => CurveLoss.NormalizedMulticlassLogLoss(predictions, classes, set.ClassLabels),
        _ => CurveLoss.RootMeanSquaredError(predictions, set.NumericLabels),
    };

    /// <summary>A LightGBM booster on the training rows being built (see <see cref="Prepare"/>); disposing frees it.</summary>
    internal sealed class PreparedBooster(FeatureMatrix train, Task<LightGbmBooster> booster) : IDisposable
    {
        public FeatureMatrix Train { get; } = train;

        public Task<LightGbmBooster> Booster { get; } = booster;

        public void Dispose()
        {
            // The native build cannot be interrupted: wait for it, then free what it made (a failed build made nothing).
            try
            {
                Booster.GetAwaiter().GetResult().Dispose();
            }
            catch (Exception)
            {
                // Nothing was built; the failure itself surfaced (or was superseded) where the booster was awaited.
            }
        }
    }
}
