namespace Portal.Domain.Statistics;

/// <summary>
/// Area under the ROC curve as the Mann-Whitney statistic: the chance that a random positive row scores above a
/// random negative one, ties counting one half (the trapezoidal ROC area, as ML.NET's AreaUnderRocCurve and R's
/// pROC report it). The scores are sorted once; <see cref="Weighted"/> then evaluates any resample of the rows, given
/// as a count per row, in one pass, which is what makes the paired bootstrap affordable.
/// </summary>
public sealed class RocAuc
{
    // Rows in ascending score order, their labels in that order, and where each run of tied scores ends.
    private readonly int[] order;
    private readonly bool[] sortedPositive;
    private readonly int[] tieGroupEnds;

    public RocAuc(IReadOnlyList<bool> labels, IReadOnlyList<double> scores)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(scores);
        if (labels.Count != scores.Count)
        {
            throw new ArgumentException($"Every row needs a label and a score: {labels.Count} labels, {scores.Count} scores.", nameof(scores));
        }

        var keys = new double[scores.Count];
        order = new int[scores.Count];
        var positives = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            if (!double.IsFinite(scores[i]))
            {
                throw new ArgumentException($"Row {i} has no finite score ({scores[i]}); AUC needs a score for every row.", nameof(scores));
            }

            (keys[i], order[i]) = (scores[i], i);
            positives += labels[i] ? 1 : 0;
        }

        if (positives == 0 || positives == keys.Length)
        {
            throw new ArgumentException(
                $"AUC needs both classes among the rows; all {keys.Length} rows are {(positives == 0 ? "negative" : "positive")}.", nameof(labels));
        }

        Array.Sort(keys, order);
        sortedPositive = new bool[order.Length];
        var ends = new List<int>();
        for (var k = 0; k < order.Length; k++)
        {
            sortedPositive[k] = labels[order[k]];
            if (k + 1 == order.Length || keys[k + 1] != keys[k])
            {
                ends.Add(k + 1);
            }
        }

        tieGroupEnds = [.. ends];
    }

    public int Rows => order.Length;

    /// <summary>AUC of the rows as given.</summary>
    public static double Of(IReadOnlyList<bool> labels, IReadOnlyList<double> scores) => new RocAuc(labels, scores).Unweighted();

    public double Unweighted()
    {
        var ones = new int[order.Length];
        Array.Fill(ones, 1);
        return Weighted(ones);
    }

    /// <summary>AUC with row i counted <paramref name="counts"/>[i] times; NaN when the weights leave one class empty.</summary>
    public double Weighted(int[] counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Length != order.Length)
        {
            throw new ArgumentException($"One count per row: {counts.Length} counts for {order.Length} rows.", nameof(counts));
        }

        double negativesBelow = 0;
        double positives = 0;
        double pairs = 0;
        var start = 0;
        foreach (var end in tieGroupEnds)
        {
            double groupPositives = 0;
            double groupNegatives = 0;
            for (var k = start; k < end; k++)
            {
                var w = counts[order[k]];
                if (sortedPositive[k])
                {
                    groupPositives += w;
                }
                else
                {
                    groupNegatives += w;
                }
            }

            // Positives in this group beat every negative below it and tie with the negatives beside them.
            pairs += groupPositives * (negativesBelow + (0.5 * groupNegatives));
            negativesBelow += groupNegatives;
            positives += groupPositives;
            start = end;
        }

        return positives == 0 || negativesBelow == 0 ? double.NaN : pairs / (positives * negativesBelow);
    }
}
