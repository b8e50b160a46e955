using Microsoft.ML;
using Microsoft.ML.Data;
using Portal.Domain.Runs;

namespace Portal.Ml.Evaluation;

/// <summary>Evaluates scored validation data with ML.NET's evaluators; metric keys are ML.NET's names in camelCase.</summary>
internal static class ModelEvaluator
{
    public static (Dictionary<string, double> Metrics, ConfusionMatrixData? Matrix, IReadOnlyList<PerClassMetrics> PerClass, ResidualSummary? Residuals) Evaluate(
        MLContext ml, MlTask task, IDataView scored, IReadOnlyList<string> classNames)
    {
        switch (task)
        {
            case MlTask.Binary:
            {
                var m = ml.BinaryClassification.Evaluate(scored, "Label");
                var metrics = new Dictionary<string, double>
                {
                    ["areaUnderRocCurve"] = m.AreaUnderRocCurve,
                    ["accuracy"] = m.Accuracy,
                    ["f1Score"] = m.F1Score,
                    ["logLoss"] = m.LogLoss,
                    ["logLossReduction"] = m.LogLossReduction,
                    ["areaUnderPrecisionRecallCurve"] = m.AreaUnderPrecisionRecallCurve,
                    ["positivePrecision"] = m.PositivePrecision,
                    ["positiveRecall"] = m.PositiveRecall,
                    ["negativePrecision"] = m.NegativePrecision,
                    ["negativeRecall"] = m.NegativeRecall,
                };
                return (metrics, Matrix(m.ConfusionMatrix, classNames), PerClass(m.ConfusionMatrix, classNames), null);
            }

            case MlTask.Multiclass:
            {
                var m = ml.MulticlassClassification.Evaluate(scored, "Label");
                var metrics = new Dictionary<string, double>
                {
                    ["macroAccuracy"] = m.MacroAccuracy,
                    ["microAccuracy"] = m.MicroAccuracy,
                    ["logLoss"] = m.LogLoss,
                    ["logLossReduction"] = m.LogLossReduction,
                };
                return (metrics, Matrix(m.ConfusionMatrix, classNames), PerClass(m.ConfusionMatrix, classNames), null);
            }

            default:
            {
                var m = ml.Regression.Evaluate(scored, "Label");
                var metrics = new Dictionary<string, double>
                {
                    ["rootMeanSquaredError"] = m.RootMeanSquaredError,
                    ["meanAbsoluteError"] = m.MeanAbsoluteError,
                    ["meanSquaredError"] = m.MeanSquaredError,
                    ["rSquared"] = m.RSquared,
                };
                return (metrics, null, [], Residuals(scored));
            }
        }
    }

    /// <summary>The residuals of the rows ML.NET's regression evaluator read (its Label and Score columns).</summary>
    private static ResidualSummary? Residuals(IDataView scored)
    {
        var actual = scored.GetColumn<float>("Label").ToArray();
        var predicted = scored.GetColumn<float>("Score").ToArray();
        return ResidualSummary.Of(actual.Zip(predicted, (a, p) => ((double)a, (double)p)));
    }

    private static ConfusionMatrixData Matrix(ConfusionMatrix matrix, IReadOnlyList<string> classes) =>
        new(Names(matrix, classes), matrix.Counts.Select(r => (IReadOnlyList<double>)r.ToList()).ToList());

    private static List<PerClassMetrics> PerClass(ConfusionMatrix matrix, IReadOnlyList<string> classes)
    {
        var names = Names(matrix, classes);
        return Enumerable.Range(0, matrix.NumberOfClasses)
            .Select(i => new PerClassMetrics(names[i], matrix.PerClassPrecision[i], matrix.PerClassRecall[i], (long)matrix.Counts[i].Sum()))
            .ToList();
    }

    private static List<string> Names(ConfusionMatrix matrix, IReadOnlyList<string> classes) =>
        Enumerable.Range(0, matrix.NumberOfClasses).Select(i => i < classes.Count ? classes[i] : i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
}
