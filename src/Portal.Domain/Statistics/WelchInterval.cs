using MathNet.Numerics.Distributions;

namespace Portal.Domain.Statistics;

/// <summary>A sample summarised: its size, mean and (n − 1) variance; what a SQL aggregate (count, sum, sum of squares) gives.</summary>
public sealed record SampleSummary(long Count, double Mean, double Variance)
{
    /// <summary>From the count, the sum and the sum of squares (variance 0 for fewer than two values).</summary>
    public static SampleSummary FromSums(long count, double sum, double sumOfSquares)
    {
        if (count <= 0)
        {
            return new SampleSummary(0, 0, 0);
        }

        var mean = sum / count;
        var variance = count < 2 ? 0 : Math.Max(0, (sumOfSquares - (count * mean * mean)) / (count - 1));
        return new SampleSummary(count, mean, variance);
    }
}

/// <summary>
/// Confidence interval for the difference of two means, mean₁ − mean₂, from independent samples with unequal variances: Welch's
/// t interval with the Welch–Satterthwaite degrees of freedom (Welch 1947; R's <c>t.test(..., var.equal = FALSE)</c>).
/// </summary>
public static class WelchInterval
{
    /// <summary>Two-sided interval at <paramref name="confidence"/>.</summary>
    public static DifferenceInterval TwoSided(SampleSummary first, SampleSummary second, double confidence)
    {
        PairedProportionInterval.ValidateConfidence(confidence);
        return Interval(first, second, (1 + confidence) / 2, confidence);
    }

    /// <summary>Both one-sided bounds at <paramref name="confidence"/> (the two-sided interval at 2c − 1).</summary>
    public static DifferenceInterval OneSidedBounds(SampleSummary first, SampleSummary second, double confidence)
    {
        PairedProportionInterval.ValidateConfidence(confidence);
        return Interval(first, second, confidence, confidence);
    }

    /// <summary>The Welch–Satterthwaite degrees of freedom.</summary>
    public static double DegreesOfFreedom(SampleSummary first, SampleSummary second)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        var a = first.Variance / first.Count;
        var b = second.Variance / second.Count;
        var denominator = (a * a / (first.Count - 1)) + (b * b / (second.Count - 1));
        return denominator > 0 ? (a + b) * (a + b) / denominator : first.Count + second.Count - 2;
    }

    private static DifferenceInterval Interval(SampleSummary first, SampleSummary second, double quantile, double confidence)
    {
        ArgumentNullException.ThrowIfNull(first);
        ArgumentNullException.ThrowIfNull(second);
        if (first.Count < 2 || second.Count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(first), "Each sample needs at least two values for a Welch interval.");
        }

        var difference = first.Mean - second.Mean;
        var standardError = Math.Sqrt((first.Variance / first.Count) + (second.Variance / second.Count));
        var t = StudentT.InvCDF(0, 1, DegreesOfFreedom(first, second), quantile);
        return new DifferenceInterval(difference, difference - (t * standardError), difference + (t * standardError), confidence);
    }
}
