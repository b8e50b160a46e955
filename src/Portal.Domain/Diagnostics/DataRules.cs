using System.Globalization;
using System.Text.Json.Nodes;
using Portal.Domain.Formatting;
using Portal.Domain.Runs;

namespace Portal.Domain.Diagnostics;

/// <summary>
/// Rules over the training data, run before training: ConstantColumn, MostlyMissing, ClassImbalance,
/// TooFewRows. Each returns null when the rule does not fire. Missing values are null / empty strings, or NaN in
/// numeric columns.
/// </summary>
public static class DataRules
{
    /// <summary>ConstantColumn: every non-missing value of the column is the same (or all are missing).</summary>
    public static DiagnosticFinding? ConstantColumn(string column, IReadOnlyList<string?> values)
    {
        string? first = null;
        var present = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (string.IsNullOrEmpty(v))
            {
                continue;
            }

            if (first is not null && !string.Equals(first, v, StringComparison.Ordinal))
            {
                return null;
            }

            first = v;
            present++;
        }

        return Constant(column, first, values.Count, present);
    }

    /// <summary>ConstantColumn for a numeric column (NaN = missing).</summary>
    public static DiagnosticFinding? ConstantColumn(string column, IReadOnlyList<double> values)
    {
        double? first = null;
        var present = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var v = values[i];
            if (double.IsNaN(v))
            {
                continue;
            }

            if (first is { } f && !f.Equals(v))
            {
                return null;
            }

            first = v;
            present++;
        }

        return Constant(column, first?.ToString(CultureInfo.InvariantCulture), values.Count, present);
    }

    /// <summary>MostlyMissing: the share of missing values passes the threshold.</summary>
    public static DiagnosticFinding? MostlyMissing(string column, IReadOnlyList<string?> values, DiagnosticThresholds thresholds)
    {
        var missing = 0;
        for (var i = 0; i < values.Count; i++)
        {
            missing += string.IsNullOrEmpty(values[i]) ? 1 : 0;
        }

        return Missing(column, missing, values.Count, thresholds);
    }

    /// <summary>MostlyMissing for a numeric column (NaN = missing).</summary>
    public static DiagnosticFinding? MostlyMissing(string column, IReadOnlyList<double> values, DiagnosticThresholds thresholds)
    {
        var missing = 0;
        for (var i = 0; i < values.Count; i++)
        {
            missing += double.IsNaN(values[i]) ? 1 : 0;
        }

        return Missing(column, missing, values.Count, thresholds);
    }

    private static DiagnosticFinding Constant(string column, string? value, int rows, int present) =>
        new(DiagnosticRules.ConstantColumn, DiagnosticSeverity.Warning,
            value is null ? $"Column '{column}' has no values." : $"Column '{column}' holds the single value '{value}' in all {present} non-missing rows; it cannot help the model.",
            new JsonObject { ["column"] = column, ["value"] = value, ["rows"] = rows, ["nonMissingRows"] = present });

    private static DiagnosticFinding? Missing(string column, int missing, int rows, DiagnosticThresholds thresholds)
    {
        if (rows == 0)
        {
            return null;
        }

        var share = (double)missing / rows;
        if (share <= thresholds.MostlyMissingShare)
        {
            return null;
        }

        return new DiagnosticFinding(DiagnosticRules.MostlyMissing, DiagnosticSeverity.Warning,
            $"Column '{column}' is missing in {share:P1} of rows ({missing} of {rows}); threshold {thresholds.MostlyMissingShare:P0}.",
            new JsonObject { ["column"] = column, ["missing"] = missing, ["rows"] = rows, ["missingShare"] = share, ["threshold"] = thresholds.MostlyMissingShare });
    }

    /// <summary>ClassImbalance: the rarest class holds less than the threshold share of rows.</summary>
    public static DiagnosticFinding? ClassImbalance(IReadOnlyList<string> labels, DiagnosticThresholds thresholds)
    {
        if (labels.Count == 0)
        {
            return null;
        }

        var counts = labels.GroupBy(l => l, StringComparer.Ordinal).Select(g => (Label: g.Key, Count: g.Count())).OrderBy(c => c.Count).ToList();
        if (counts.Count < 2)
        {
            return null;
        }

        var minority = counts[0];
        var majority = counts[^1];
        var share = (double)minority.Count / labels.Count;
        if (share >= thresholds.MinorityShare)
        {
            return null;
        }

        var ratio = (double)majority.Count / minority.Count;
        var classes = new JsonObject();
        foreach (var c in counts)
        {
            classes[c.Label] = c.Count;
        }

        return new DiagnosticFinding(DiagnosticRules.ClassImbalance, DiagnosticSeverity.Warning,
            $"Class '{minority.Label}' holds {share:P1} of rows ({minority.Count} of {labels.Count}); majority to minority ratio {NumberText.Format(ratio)}:1.",
            new JsonObject { ["minorityClass"] = minority.Label, ["minorityShare"] = share, ["ratio"] = ratio, ["threshold"] = thresholds.MinorityShare, ["classCounts"] = classes });
    }

    /// <summary>
    /// TooFewRows: fewer rows than the absolute minimum, than <see cref="DiagnosticThresholds.MinRowsPerFeature"/>
    /// per feature, or (classification) fewer than <see cref="DiagnosticThresholds.MinRowsPerClass"/> rows of some class.
    /// </summary>
    public static DiagnosticFinding? TooFewRows(MlTask task, int rows, int features, IReadOnlyList<string>? labels, DiagnosticThresholds thresholds)
    {
        var needed = Math.Max(thresholds.MinRows, features * thresholds.MinRowsPerFeature);
        var smallestClass = task == MlTask.Regression || labels is null || labels.Count == 0
            ? (int?)null
            : labels.GroupBy(l => l, StringComparer.Ordinal).Min(g => g.Count());
        var classTooSmall = smallestClass is { } s && s < thresholds.MinRowsPerClass;
        if (rows >= needed && !classTooSmall)
        {
            return null;
        }

        var message = rows < needed
            ? $"{rows} rows for {features} features; at least {needed} are advisable for a {task.ToString().ToLowerInvariant()} task."
            : $"The smallest class has {smallestClass} rows; at least {thresholds.MinRowsPerClass} are advisable.";
        return new DiagnosticFinding(DiagnosticRules.TooFewRows, DiagnosticSeverity.Warning, message,
            new JsonObject { ["rows"] = rows, ["features"] = features, ["minimumRows"] = needed, ["smallestClassRows"] = smallestClass, ["minimumRowsPerClass"] = thresholds.MinRowsPerClass });
    }
}
