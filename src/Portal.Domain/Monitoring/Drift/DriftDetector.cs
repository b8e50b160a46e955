namespace Portal.Domain.Monitoring.Drift;

/// <summary>
/// Compares a window of live inputs with the training reference, feature by feature (in parallel): the KS two-sample test
/// for numeric features and Pearson's chi-square for categorical ones, both exactly as SciPy computes them, and the PSI
/// (<see cref="PopulationStability"/>) for both. A feature drifted when the test's p-value is below
/// <see cref="MonitoringPolicy.PValueThreshold"/> on a small window (at most <see cref="MonitoringPolicy.StatisticalTestMaxRows"/>
/// values compared; the threshold is divided by the number of features compared, Bonferroni's correction, so a window of
/// unshifted features is called drifted with a chance of at most the threshold), and when its PSI reaches <see cref="MonitoringPolicy.PsiThreshold"/> on a larger one: on large samples
/// every test finds a negligible difference significant, a distance does not (Evidently's rule).
/// <para>Missing values (NaN, null) are left out on both sides: they are data quality, not drift. Categorical values the
/// reference never had are left out of the chi-square test (they are "unseen" data quality, and their expected count
/// would be 0) but do count in the PSI, as one extra bin. A feature with no values to compare in the window reports
/// statistic 0, p-value 1, PSI 0, not drifted.</para>
/// <para>The KS statistic is computed without sorting the window: each current value is located among the reference's
/// distinct values (a bucket table and a short binary search), and D follows from the counts at and between them, which
/// are the only places the two empirical distributions can differ most.</para>
/// </summary>
public static class DriftDetector
{
    /// <summary>
    /// The drift of every reference feature that the window has a column for, in the reference's order; identifier-like
    /// categorical features (<see cref="ReferenceFeature.IsIdentifierLike"/>) are left out.
    /// </summary>
    public static DriftReport Compare(DriftReference reference, IReadOnlyList<FeatureColumn> current, MonitoringPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(policy);
        var byName = new Dictionary<string, FeatureColumn>(StringComparer.Ordinal);
        foreach (var column in current)
        {
            byName[column.Name] = column;
        }

        var pairs = reference.Features
            .Where(f => byName.ContainsKey(f.Name) && !f.IsIdentifierLike)
            .Select(f => (Reference: f, Current: byName[f.Name]))
            .ToArray();
        foreach (var (r, c) in pairs)
        {
            if (r.Kind != c.Kind)
            {
                throw new ArgumentException($"Feature '{r.Name}' is {r.Kind.ToString().ToLowerInvariant()} in the reference but {c.Kind.ToString().ToLowerInvariant()} in the window.", nameof(current));
            }
        }

        // Bonferroni: the p-value threshold is shared among the features tested, so that a window of many unshifted
        // features raises a false drift finding with a chance of at most the threshold, not the threshold per feature.
        var perFeature = pairs.Length > 1 ? policy with { PValueThreshold = policy.PValueThreshold / pairs.Length } : policy;
        var results = new FeatureDrift[pairs.Length];
        Parallel.For(0, pairs.Length, i => results[i] = CompareFeature(pairs[i].Reference, pairs[i].Current, perFeature));
        var rows = current.Count == 0 ? 0 : current.Max(c => c.Rows);
        return new DriftReport(reference.Rows, rows, results);
    }

    /// <summary>One feature's drift.</summary>
    public static FeatureDrift CompareFeature(ReferenceFeature reference, FeatureColumn current, MonitoringPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(policy);
        return reference.Kind == FeatureKind.Numeric ? CompareNumeric(reference, current.Numbers, policy) : CompareCategorical(reference, current.Categories, policy);
    }

    private static FeatureDrift CompareNumeric(ReferenceFeature reference, double[] values, MonitoringPolicy policy)
    {
        var cumulative = reference.CumulativeArray;
        var k = cumulative.Length;
        var slots = new long[(2 * k) + 1];
        var bins = new long[reference.EdgeArray.Length + 1];
        var n2 = reference.CountWindow(values, slots, bins);
        if (n2 == 0 || reference.Count == 0)
        {
            return new FeatureDrift(reference.Name, FeatureKind.Numeric, DriftTest.Ks, 0, 1, 0, false);
        }

        double n1 = reference.Count, nCurrent = n2;
        double max = double.NegativeInfinity, min = double.PositiveInfinity;
        long atOrBelow = 0;
        for (var i = 0; i < k; i++)
        {
            var below = slots[2 * i];
            if (below > 0)
            {
                // The largest current value strictly between the previous reference value and this one.
                var diffInGap = ((i == 0 ? 0 : cumulative[i - 1]) / n1) - ((atOrBelow + below) / nCurrent);
                max = Math.Max(max, diffInGap);
                min = Math.Min(min, diffInGap);
            }

            atOrBelow += below + slots[(2 * i) + 1];
            var diff = (cumulative[i] / n1) - (atOrBelow / nCurrent);
            max = Math.Max(max, diff);
            min = Math.Min(min, diff);
        }

        if (slots[2 * k] > 0)
        {
            // Above every reference value both distributions end at 1.
            max = Math.Max(max, 0);
            min = Math.Min(min, 0);
        }

        var ks = KolmogorovSmirnov.FromStatistic(KolmogorovSmirnov.Combine(max, min), reference.Count, n2);
        var psi = PopulationStability.Index(reference.BinCountArray, bins);
        var drifted = n2 <= policy.StatisticalTestMaxRows ? ks.PValue < policy.PValueThreshold : psi >= policy.PsiThreshold;
        return new FeatureDrift(reference.Name, FeatureKind.Numeric, DriftTest.Ks, ks.Statistic, ks.PValue, psi, drifted);
    }

    private static FeatureDrift CompareCategorical(ReferenceFeature reference, string?[] values, MonitoringPolicy policy)
    {
        var lookup = reference.CategoryLookup;
        var categories = reference.CategoryCountArray.Length;
        var counts = new long[categories + 1];
        long compared = 0;
        foreach (var value in values)
        {
            if (value is null)
            {
                continue;
            }

            compared++;
            counts[lookup.TryGetValue(value, out var index) ? index : categories]++;
        }

        if (compared == 0 || reference.Count == 0)
        {
            return new FeatureDrift(reference.Name, FeatureKind.Categorical, DriftTest.Chi2, 0, 1, 0, false);
        }

        var chi2 = ChiSquareGoodnessOfFit.Test(counts.AsSpan(0, categories), reference.CategoryCountArray);
        var unseen = counts[categories];
        double psi;
        if (unseen > 0)
        {
            var referenceBins = new long[categories + 1];
            reference.CategoryCountArray.CopyTo(referenceBins, 0);
            psi = PopulationStability.Index(referenceBins, counts);
        }
        else
        {
            psi = PopulationStability.Index(reference.CategoryCountArray, counts.AsSpan(0, categories));
        }

        var drifted = compared <= policy.StatisticalTestMaxRows ? chi2.PValue < policy.PValueThreshold : psi >= policy.PsiThreshold;
        return new FeatureDrift(reference.Name, FeatureKind.Categorical, DriftTest.Chi2, chi2.Statistic, chi2.PValue, psi, drifted);
    }
}
