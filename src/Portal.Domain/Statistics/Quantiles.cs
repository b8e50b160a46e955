namespace Portal.Domain.Statistics;

/// <summary>Quantiles of sorted values, one definition for every summary Portal shows (column profiles, residuals).</summary>
public static class Quantiles
{
    /// <summary>Linear interpolation between closest ranks (numpy's default, R type 7); <paramref name="sorted"/> ascending, not empty.</summary>
    public static double Of(IReadOnlyList<double> sorted, double p)
    {
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
