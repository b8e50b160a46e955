using System.Text.Json.Nodes;
using Portal.Domain.Runs;
using Portal.Domain.Statistics;

namespace Portal.Domain.Diagnostics;

/// <summary>
/// LabelLeakage: one feature alone predicts the label almost perfectly. Numeric features are scored by their
/// single-feature AUC (binary; max(AUC, 1 - AUC)) or absolute Pearson correlation (regression); categorical
/// features by how often the majority label of their value is the row's label (functional dependence), counting
/// only values seen at least twice so that identifier-like columns do not fire.
/// </summary>
public static class LabelLeakageRule
{
    /// <summary>Checks a numeric feature. Binary labels are 0/1; rows with a non-finite value are skipped.</summary>
    public static DiagnosticFinding? Numeric(string column, IReadOnlyList<double> values, IReadOnlyList<double> labels, MlTask task, DiagnosticThresholds thresholds)
    {
        var rows = Enumerable.Range(0, Math.Min(values.Count, labels.Count))
            .Where(i => double.IsFinite(values[i]) && double.IsFinite(labels[i]))
            .Select(i => (X: values[i], Y: labels[i]))
            .ToList();
        if (rows.Count < 10)
        {
            return null;
        }

        string measure;
        double score;
        switch (task)
        {
            case MlTask.Binary:
                var auc = Auc(rows);
                if (auc is null)
                {
                    return null;
                }

                score = Math.Max(auc.Value, 1 - auc.Value);
                measure = "singleFeatureAuc";
                break;
            case MlTask.Regression:
                score = Math.Abs(Pearson(rows));
                measure = "absoluteCorrelation";
                break;
            default:
                return null;
        }

        if (!(score >= thresholds.LeakageScore))
        {
            return null;
        }

        return new DiagnosticFinding(DiagnosticRules.LabelLeakage, DiagnosticSeverity.Critical,
            $"Feature '{column}' alone predicts the label ({measure} {score:F4} ≥ {thresholds.LeakageScore}); check that it is not derived from the outcome.",
            new JsonObject { ["column"] = column, ["measure"] = measure, ["score"] = score, ["rows"] = rows.Count, ["threshold"] = thresholds.LeakageScore });
    }

    /// <summary>Checks a categorical feature against any label by functional dependence.</summary>
    public static DiagnosticFinding? Categorical(string column, IReadOnlyList<string?> values, IReadOnlyList<string> labels, DiagnosticThresholds thresholds)
    {
        var n = Math.Min(values.Count, labels.Count);
        if (n < 10)
        {
            return null;
        }

        // Label counts per value, in one pass.
        var byValue = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        var distinctLabels = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var value = values[i] ?? string.Empty;
            if (!byValue.TryGetValue(value, out var counts))
            {
                byValue[value] = counts = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            counts[labels[i]] = counts.GetValueOrDefault(labels[i]) + 1;
            distinctLabels.Add(labels[i]);
        }

        var groups = byValue.Values.Select(counts => (Rows: counts.Values.Sum(), Agreeing: counts.Values.Max())).Where(g => g.Rows >= 2).ToList();
        var covered = groups.Sum(g => g.Rows);
        if (groups.Count < 2 || covered < n / 2 || distinctLabels.Count < 2)
        {
            return null;
        }

        var accuracy = (double)groups.Sum(g => g.Agreeing) / covered;
        if (accuracy < thresholds.LeakageScore)
        {
            return null;
        }

        return new DiagnosticFinding(DiagnosticRules.LabelLeakage, DiagnosticSeverity.Critical,
            $"Feature '{column}' determines the label in {accuracy:P2} of rows ({groups.Count} values); check that it is not derived from the outcome.",
            new JsonObject { ["column"] = column, ["measure"] = "functionalDependence", ["score"] = accuracy, ["rows"] = covered, ["distinctValues"] = groups.Count, ["threshold"] = thresholds.LeakageScore });
    }

    /// <summary>Mann-Whitney AUC with ties counted one half; null when one class is absent.</summary>
    internal static double? Auc(IReadOnlyList<(double X, double Y)> rows)
    {
        var positive = rows.Select(r => r.Y > 0.5).ToArray();
        return positive.Contains(true) && positive.Contains(false) ? RocAuc.Of(positive, rows.Select(r => r.X).ToArray()) : null;
    }

    private static double Pearson(IReadOnlyList<(double X, double Y)> rows)
    {
        var mx = rows.Average(r => r.X);
        var my = rows.Average(r => r.Y);
        double sxy = 0, sxx = 0, syy = 0;
        foreach (var (x, y) in rows)
        {
            sxy += (x - mx) * (y - my);
            sxx += (x - mx) * (x - mx);
            syy += (y - my) * (y - my);
        }

        return sxx == 0 || syy == 0 ? 0 : sxy / Math.Sqrt(sxx * syy);
    }
}
