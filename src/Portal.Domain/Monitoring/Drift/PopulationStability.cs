namespace Portal.Domain.Monitoring.Drift;

/// <summary>
/// The population stability index, defined once here (and identically in bench/Portal.Bench.Drift/scipy_drift.py):
/// PSI = Σ over bins (cᵢ − rᵢ) · ln(cᵢ / rᵢ), where rᵢ and cᵢ are the reference's and the current window's shares of
/// non-missing values in bin i, and a share of 0 is replaced by <see cref="EmptyShare"/> (Evidently's 0.0001) so that an
/// empty bin counts as a large but finite shift.
/// <para>Numeric bins come from the reference: the distinct values of its deciles (numpy's default linear quantile at
/// 0.1, 0.2, …, 0.9) are the edges, and a value v falls in bin i = number of edges ≤ v (numpy
/// <c>searchsorted(edges, v, side='right')</c>), so at most ten bins, left-closed, open at both ends.</para>
/// <para>Categorical bins are the reference's categories plus one bin for every value the reference never had
/// (reference share 0, hence <see cref="EmptyShare"/>), which only exists when the current window has such values.</para>
/// </summary>
public static class PopulationStability
{
    /// <summary>The share that stands in for an empty bin.</summary>
    public const double EmptyShare = 0.0001;

    /// <summary>Quantile levels whose values are the numeric bin edges.</summary>
    public static IReadOnlyList<double> EdgeLevels { get; } = [.. Enumerable.Range(1, 9).Select(i => i / 10.0)];

    /// <summary>PSI of current bin counts against reference bin counts (same bins, same order).</summary>
    public static double Index(ReadOnlySpan<long> reference, ReadOnlySpan<long> current)
    {
        if (reference.Length != current.Length)
        {
            throw new ArgumentException("Reference and current counts cover the same bins.");
        }

        long referenceTotal = 0, currentTotal = 0;
        for (var i = 0; i < reference.Length; i++)
        {
            referenceTotal += reference[i];
            currentTotal += current[i];
        }

        if (referenceTotal == 0 || currentTotal == 0)
        {
            return 0;
        }

        var psi = 0.0;
        for (var i = 0; i < reference.Length; i++)
        {
            var r = reference[i] / (double)referenceTotal;
            var c = current[i] / (double)currentTotal;
            r = r == 0 ? EmptyShare : r;
            c = c == 0 ? EmptyShare : c;
            psi += (c - r) * Math.Log(c / r);
        }

        return psi;
    }

    /// <summary>
    /// The numeric bin edges of a sorted reference: numpy's linear quantiles at <see cref="EdgeLevels"/>, duplicates removed.
    /// </summary>
    public static double[] Edges(ReadOnlySpan<double> sorted)
    {
        if (sorted.IsEmpty)
        {
            return [];
        }

        var edges = new List<double>(EdgeLevels.Count);
        foreach (var level in EdgeLevels)
        {
            var edge = Quantile(sorted, level);
            if (edges.Count == 0 || edge != edges[^1])
            {
                edges.Add(edge);
            }
        }

        return [.. edges];
    }

    /// <summary>numpy.quantile(method='linear') on sorted values, with numpy's two-sided lerp.</summary>
    internal static double Quantile(ReadOnlySpan<double> sorted, double level)
    {
        var virtualIndex = level * (sorted.Length - 1);
        var previous = Math.Floor(virtualIndex);
        var gamma = virtualIndex - previous;
        var lo = (int)Math.Clamp(previous, 0, sorted.Length - 1);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        double a = sorted[lo], b = sorted[hi];
        var difference = b - a;
        return gamma >= 0.5 ? b - (difference * (1 - gamma)) : a + (difference * gamma);
    }

    /// <summary>The bin of a value: the number of edges at or below it.</summary>
    public static int Bin(ReadOnlySpan<double> edges, double value)
    {
        var bin = 0;
        for (var i = 0; i < edges.Length; i++)
        {
            bin += value >= edges[i] ? 1 : 0;
        }

        return bin;
    }
}
