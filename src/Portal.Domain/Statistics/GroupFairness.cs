namespace Portal.Domain.Statistics;

public enum FairnessVerdict
{
    WithinBounds,

    /// <summary>A group is too small to compare, or fewer than two groups can be compared, and no breach was seen among the rest.</summary>
    TooFewRowsToJudge,

    Breached,
}

/// <summary>The fairness gate's bounds.</summary>
/// <param name="MaxTruePositiveRateGap">Largest allowed difference between groups' true-positive rates (equal opportunity, Hardt et al. 2016).</param>
/// <param name="MinSelectionRateRatio">Smallest allowed ratio of the lowest to the highest selection rate (the four-fifths rule, 29 CFR 1607.4(D)).</param>
/// <param name="MinGroupRows">A group with fewer rows (for the true-positive rate: fewer actual positives) is not judged.</param>
public sealed record FairnessBounds(double MaxTruePositiveRateGap = 0.1, double MinSelectionRateRatio = 0.8, int MinGroupRows = 30);

/// <summary>One group's counts on the evaluation rows.</summary>
/// <param name="ActualPositives">Rows whose label is positive (the denominator of the true-positive rate).</param>
/// <param name="Selected">Rows the model predicts positive (the numerator of the selection rate).</param>
public sealed record GroupRates(string Group, int Rows, int ActualPositives, int Selected, int TruePositives)
{
    public double SelectionRate => (double)Selected / Rows;

    /// <summary>Share of the group's actual positives the model finds; null when the group has none.</summary>
    public double? TruePositiveRate => ActualPositives == 0 ? null : (double)TruePositives / ActualPositives;
}

/// <summary>Fairness of one sensitive column: per-group rates, the gaps between the judgeable groups, and the verdicts.</summary>
/// <param name="TruePositiveRateGap">Highest minus lowest true-positive rate among groups with enough actual positives.</param>
/// <param name="SelectionRateRatio">Lowest over highest selection rate among groups with enough rows (1 when no one is selected).</param>
public sealed record FairnessReport(
    string Column,
    IReadOnlyList<GroupRates> Groups,
    double? TruePositiveRateGap,
    double? SelectionRateRatio,
    FairnessVerdict TruePositiveRateVerdict,
    FairnessVerdict SelectionRateVerdict,
    IReadOnlyList<string> TooSmallGroups,
    FairnessBounds Bounds)
{
    /// <summary>The worse of the two verdicts: a breach anywhere is a breach; otherwise any unjudged part leaves it open.</summary>
    public FairnessVerdict Verdict => (FairnessVerdict)Math.Max((int)TruePositiveRateVerdict, (int)SelectionRateVerdict);
}

/// <summary>
/// Group fairness of a binary classifier on the evaluation rows, for one sensitive column: the largest difference in
/// true-positive rate between groups and the ratio of the lowest to the highest selection rate. Small groups are not
/// judged, and never silently pass: a breach among the large groups still breaches, otherwise the verdict is
/// "too few rows to judge".
/// </summary>
public static class GroupFairness
{
    /// <summary>The group name of rows with no value in the sensitive column.</summary>
    public const string MissingGroup = "(missing)";

    public static FairnessReport Evaluate(string column, IReadOnlyList<string?> groups, IReadOnlyList<bool> labels, IReadOnlyList<bool> predicted, FairnessBounds? bounds = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentNullException.ThrowIfNull(predicted);
        bounds ??= new FairnessBounds();
        Validate(bounds);
        if (groups.Count != labels.Count || predicted.Count != labels.Count)
        {
            throw new ArgumentException($"Every row needs a group, a label and a prediction: {groups.Count} groups, {labels.Count} labels, {predicted.Count} predictions.");
        }

        if (labels.Count == 0)
        {
            throw new ArgumentException($"There are no evaluation rows to judge fairness over '{column}' on.");
        }

        var counts = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var key = string.IsNullOrEmpty(groups[i]) ? MissingGroup : groups[i]!;
            if (!counts.TryGetValue(key, out var c))
            {
                counts[key] = c = new int[4];
            }

            c[0]++;
            c[1] += labels[i] ? 1 : 0;
            c[2] += predicted[i] ? 1 : 0;
            c[3] += labels[i] && predicted[i] ? 1 : 0;
        }

        var rates = counts
            .Select(kv => new GroupRates(kv.Key, kv.Value[0], kv.Value[1], kv.Value[2], kv.Value[3]))
            .OrderByDescending(g => g.Rows).ThenBy(g => g.Group, StringComparer.Ordinal)
            .ToList();

        var selectionJudged = rates.Where(g => g.Rows >= bounds.MinGroupRows).ToList();
        var tprJudged = rates.Where(g => g.ActualPositives >= bounds.MinGroupRows).ToList();

        double? ratio = null;
        if (selectionJudged.Count >= 2)
        {
            var highest = selectionJudged.Max(g => g.SelectionRate);
            ratio = highest == 0 ? 1 : selectionJudged.Min(g => g.SelectionRate) / highest;
        }

        double? gap = null;
        if (tprJudged.Count >= 2)
        {
            gap = tprJudged.Max(g => g.TruePositiveRate!.Value) - tprJudged.Min(g => g.TruePositiveRate!.Value);
        }

        var selectionVerdict = Judge(ratio is { } r && r < bounds.MinSelectionRateRatio, selectionJudged.Count, rates.Count);
        var tprVerdict = Judge(gap is { } g && g > bounds.MaxTruePositiveRateGap, tprJudged.Count, rates.Count);
        var tooSmall = rates.Where(g => g.Rows < bounds.MinGroupRows || g.ActualPositives < bounds.MinGroupRows).Select(g => g.Group).ToList();
        return new FairnessReport(column, rates, gap, ratio, tprVerdict, selectionVerdict, tooSmall, bounds);
    }

    private static FairnessVerdict Judge(bool breached, int judged, int all) =>
        breached ? FairnessVerdict.Breached
        : judged < 2 || judged < all ? FairnessVerdict.TooFewRowsToJudge
        : FairnessVerdict.WithinBounds;

    private static void Validate(FairnessBounds bounds)
    {
        if (!(bounds.MaxTruePositiveRateGap is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(bounds), bounds.MaxTruePositiveRateGap, "The largest allowed true-positive-rate gap is between 0 and 1 (e.g. 0.1).");
        }

        if (!(bounds.MinSelectionRateRatio is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(bounds), bounds.MinSelectionRateRatio, "The smallest allowed selection-rate ratio is between 0 and 1 (0.8 for the four-fifths rule).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(bounds.MinGroupRows, 1, nameof(bounds));
    }
}
