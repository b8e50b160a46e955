namespace Portal.Domain.Statistics;

/// <summary>How many resamples, at which confidence, from which seed (the same seed gives the same interval).</summary>
public sealed record BootstrapOptions(int Resamples = 1000, double Confidence = 0.95, int Seed = 1);

/// <summary>
/// A percentile bootstrap interval for the challenger's improvement over the champion (positive = challenger better).
/// </summary>
/// <param name="Observed">The improvement on the rows as given.</param>
/// <param name="OneSidedLower">We are <see cref="Confidence"/> sure the improvement is at least this.</param>
/// <param name="Resamples">Resamples that gave a value (AUC resamples holding one class only are left out).</param>
public sealed record BootstrapInterval(double Observed, double Lower, double Upper, double OneSidedLower, double Confidence, int Resamples, int Seed)
{
    /// <summary>The improvement reaches the margin at the confidence: the one-sided lower bound is at least the margin.</summary>
    public bool ReachesMargin(double margin) => OneSidedLower >= margin;
}

/// <summary>
/// Paired bootstrap of a metric difference between two models scored on the same rows (Efron &amp; Tibshirani 1993,
/// ch. 13, percentile interval): each resample draws the rows with replacement once, and both models are measured on
/// that same draw. A resample is a count per row, so each metric is a single weighted pass over precomputed per-row
/// contributions (AUC over scores sorted once), not a copy of the rows.
/// </summary>
public static class PairedBootstrap
{
    /// <summary>AUC improvement: challenger's AUC minus the champion's, for binary labels (true = positive).</summary>
    public static BootstrapInterval AucImprovement(IReadOnlyList<bool> labels, IReadOnlyList<double> challengerScores, IReadOnlyList<double> championScores, BootstrapOptions? options = null)
    {
        var challenger = new RocAuc(labels, challengerScores);
        var champion = new RocAuc(labels, championScores);
        return Run(labels.Count, counts => challenger.Weighted(counts) - champion.Weighted(counts), options);
    }

    /// <summary>RMSE improvement: champion's RMSE minus the challenger's (positive = the challenger errs less).</summary>
    public static BootstrapInterval RmseImprovement(IReadOnlyList<double> labels, IReadOnlyList<double> challengerPredictions, IReadOnlyList<double> championPredictions, BootstrapOptions? options = null)
    {
        var (challenger, champion) = Errors(labels, challengerPredictions, championPredictions, static e => e * e);
        return Run(labels.Count, counts =>
        {
            var (sumChallenger, sumChampion, total) = WeightedSums(counts, challenger, champion);
            return Math.Sqrt(sumChampion / total) - Math.Sqrt(sumChallenger / total);
        }, options);
    }

    /// <summary>MAE improvement: champion's MAE minus the challenger's (positive = the challenger errs less).</summary>
    public static BootstrapInterval MaeImprovement(IReadOnlyList<double> labels, IReadOnlyList<double> challengerPredictions, IReadOnlyList<double> championPredictions, BootstrapOptions? options = null)
    {
        var (challenger, champion) = Errors(labels, challengerPredictions, championPredictions, Math.Abs);
        return Run(labels.Count, counts =>
        {
            var (sumChallenger, sumChampion, total) = WeightedSums(counts, challenger, champion);
            return (sumChampion - sumChallenger) / total;
        }, options);
    }

    private static BootstrapInterval Run(int rows, Func<int[], double> improvement, BootstrapOptions? options)
    {
        options ??= new BootstrapOptions();
        PairedProportionInterval.ValidateConfidence(options.Confidence);
        if (options.Resamples < 100)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Resamples, "A bootstrap interval needs at least 100 resamples (1,000 is the default).");
        }

        var counts = new int[rows];
        Array.Fill(counts, 1);
        var observed = improvement(counts);

        var random = new Random(options.Seed);
        var values = new List<double>(options.Resamples);
        for (var r = 0; r < options.Resamples; r++)
        {
            Array.Clear(counts);
            for (var i = 0; i < rows; i++)
            {
                counts[random.Next(rows)]++;
            }

            var value = improvement(counts);
            if (!double.IsNaN(value))
            {
                values.Add(value);
            }
        }

        if (values.Count < options.Resamples / 2)
        {
            throw new ArgumentException($"Only {values.Count} of {options.Resamples} resamples held both classes: too few rows of one class to judge the difference.");
        }

        values.Sort();
        var tail = 1 - options.Confidence;
        return new BootstrapInterval(
            observed,
            Quantiles.Of(values, tail / 2),
            Quantiles.Of(values, 1 - (tail / 2)),
            Quantiles.Of(values, tail),
            options.Confidence,
            values.Count,
            options.Seed);
    }

    private static (double[] Challenger, double[] Champion) Errors(IReadOnlyList<double> labels, IReadOnlyList<double> challengerPredictions, IReadOnlyList<double> championPredictions, Func<double, double> loss)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(challengerPredictions);
        ArgumentNullException.ThrowIfNull(championPredictions);
        if (challengerPredictions.Count != labels.Count || championPredictions.Count != labels.Count)
        {
            throw new ArgumentException($"Both models must be scored on the same rows: {labels.Count} labels, {challengerPredictions.Count} challenger and {championPredictions.Count} champion predictions.");
        }

        if (labels.Count == 0)
        {
            throw new ArgumentException("There are no evaluation rows: both models must be scored on at least one row.");
        }

        var challenger = new double[labels.Count];
        var champion = new double[labels.Count];
        for (var i = 0; i < labels.Count; i++)
        {
            if (!double.IsFinite(labels[i]) || !double.IsFinite(challengerPredictions[i]) || !double.IsFinite(championPredictions[i]))
            {
                throw new ArgumentException($"Row {i} has a missing or infinite label or prediction; errors need finite numbers on every row.");
            }

            challenger[i] = loss(challengerPredictions[i] - labels[i]);
            champion[i] = loss(championPredictions[i] - labels[i]);
        }

        return (challenger, champion);
    }

    private static (double Challenger, double Champion, double Total) WeightedSums(int[] counts, double[] challenger, double[] champion)
    {
        double sumChallenger = 0, sumChampion = 0, total = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            var w = counts[i];
            sumChallenger += w * challenger[i];
            sumChampion += w * champion[i];
            total += w;
        }

        return (sumChallenger, sumChampion, total);
    }
}
