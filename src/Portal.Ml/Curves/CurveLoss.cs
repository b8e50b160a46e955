namespace Portal.Ml.Curves;

/// <summary>
/// The losses the curves show, computed the way ML.NET's evaluators compute them so that the last curve point
/// matches the final evaluation: binary and multiclass log-loss (natural log, probabilities clamped at 1e-15),
/// regression root mean squared error.
/// </summary>
internal static class CurveLoss
{
    private const double Epsilon = 1e-15;

    public static double BinaryLogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < labels.Length; i++)
        {
            var p = labels[i] ? probabilities[i] : 1 - probabilities[i];
            sum -= Math.Log(Math.Max(p, Epsilon));
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
}
