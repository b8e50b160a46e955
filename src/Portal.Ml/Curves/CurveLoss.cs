namespace Portal.Ml.Curves;

/// <summary>
/// The losses the curves show, computed the way ML.NET's evaluators compute them so that the last curve point
/// matches the final evaluation (checked by a test): binary log-loss in bits (ML.NET's binary evaluator uses
/// log base 2), multiclass log-loss in nats, probabilities clamped at 1e-15; regression root mean squared error.
/// </summary>
internal static class CurveLoss
{
    public const double Epsilon = 1e-15;

    public static double BinaryLogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = labels[i] ? probabilities[i] : 1 - probabilities[i];
            sum -= Math.Log2(Math.Max(p, Epsilon));
        }

        return sum / labels.Length;
    }

    /// <summary>Softmax cross-entropy; <paramref name="scores"/> is row-major [row * classes + class].</summary>
    public static double MulticlassLogLoss(ReadOnlySpan<double> scores, int classes, ReadOnlySpan<int> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = scores.Slice(i * classes, classes);
            var max = double.NegativeInfinity;
            foreach (var s in row)
            {
                max = Math.Max(max, s);
            }

            double z = 0;
            foreach (var s in row)
            {
                z += Math.Exp(s - max);
            }

            var p = Math.Exp(row[labels[i]] - max) / z;
            sum -= Math.Log(Math.Max(p, Epsilon));
        }

        return sum / labels.Length;
    }

    /// <summary>
    /// Log-loss of one-versus-all class probabilities normalised to sum to one (ML.NET's ProbabilityNormalization
    /// output of calibrated per-class models); <paramref name="probabilities"/> is row-major.
    /// </summary>
    public static double NormalizedMulticlassLogLoss(ReadOnlySpan<double> probabilities, int classes, ReadOnlySpan<int> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            double z = 0;
            foreach (var p in row)
            {
                z += p;
            }

            var q = z > 0 ? row[labels[i]] / z : 1.0 / classes;
            sum -= Math.Log(Math.Max(q, Epsilon));
        }

        return sum / labels.Length;
    }

    public static double RootMeanSquaredError(ReadOnlySpan<double> predictions, ReadOnlySpan<float> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var d = predictions[i] - labels[i];
            sum += d * d;
        }

        return Math.Sqrt(sum / labels.Length);
    }

    /// <summary>Softmax cross-entropy (nats) of one row of raw class scores.</summary>
    public static double SoftmaxRowLoss(ReadOnlySpan<double> row, int label)
    {
        var max = double.NegativeInfinity;
        foreach (var s in row)
        {
            max = Math.Max(max, s);
        }

        double z = 0;
        foreach (var s in row)
        {
            z += Math.Exp(s - max);
        }

        return -Math.Log(Math.Max(Math.Exp(row[label] - max) / z, Epsilon));
    }

    /// <summary>Log-loss (nats) of one row of one-versus-all scores turned into calibrated, normalised probabilities.</summary>
    public static double NormalizedMulticlassRowLoss(ReadOnlySpan<double> scores, Func<double, double>[] probability, int label)
    {
        double z = 0;
        var mine = 0.0;
        for (var c = 0; c < scores.Length; c++)
        {
            var p = probability[c](scores[c]);
            z += p;
            if (c == label)
            {
                mine = p;
            }
        }

        var q = z > 0 ? mine / z : 1.0 / scores.Length;
        return -Math.Log(Math.Max(q, Epsilon));
    }
}
