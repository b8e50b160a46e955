namespace Portal.Domain.Statistics;

/// <summary>The Wilson score interval for one binomial proportion (Wilson 1927): the building block of Newcombe's intervals.</summary>
public static class WilsonScore
{
    /// <summary>The interval of <paramref name="successes"/> of <paramref name="n"/> at the normal quantile <paramref name="z"/>; (0, 1) when n is 0.</summary>
    public static (double Lower, double Upper) Interval(double successes, double n, double z)
    {
        if (n <= 0)
        {
            return (0, 1);
        }

        var p = successes / n;
        var z2 = z * z;
        var denominator = 1 + (z2 / n);
        var centre = (p + (z2 / (2 * n))) / denominator;
        var half = z * Math.Sqrt((p * (1 - p) / n) + (z2 / (4 * n * n))) / denominator;
        return (Math.Max(0, centre - half), Math.Min(1, centre + half));
    }
}
