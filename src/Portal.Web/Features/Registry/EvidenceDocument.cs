using System.Globalization;
using System.Text.Json;
using Portal.Ml.Evaluation;

namespace Portal.Web.Features.Registry;

/// <summary>
/// What the evidence page shows of a promotion's frozen evidence (the worker's <c>PromotionEvidence</c>, stored as canonical
/// camelCase JSON). Read leniently from the JSON itself: a part the snapshot does not hold is null or empty and its section
/// says so, and a snapshot of another shape still shows its quality sentence and its raw form, never an error.
/// </summary>
public sealed record EvidenceDocument(
    string? Task,
    string? LabelColumn,
    string? RowsDescription,
    long? Rows,
    EvidenceModel? Challenger,
    EvidenceModel? Champion,
    EvidenceQuality? Quality,
    EvidenceImportance? FeatureImportance,
    EvidenceExplanation? Explanation,
    EvidenceFairness? Fairness,
    IReadOnlyList<(string Stage, double Seconds)> Timings)
{
    /// <summary>Reads the stored evidence; null when it is not a JSON object at all.</summary>
    public static EvidenceDocument? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return null;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            // The worker freezes the scoring's evidence under "evaluation", beside the versions, schema, classification and gates.
            if (Object(root, "evaluation") is { } evaluation)
            {
                root = evaluation;
            }

            var rows = Object(root, "rows");
            return new EvidenceDocument(
                Text(root, "task"),
                Text(root, "labelColumn"),
                rows is { } r ? Text(r, "description") : null,
                rows is { } r2 ? (long?)Number(r2, "rows") : null,
                Object(root, "challenger") is { } challenger ? ReadModel(challenger) : null,
                Object(root, "champion") is { } champion ? ReadModel(champion) : null,
                Object(root, "quality") is { } quality ? ReadQuality(quality) : null,
                Object(root, "featureImportance") is { } importance ? ReadImportance(importance) : null,
                Object(root, "explanation") is { } explanation ? ReadExplanation(explanation) : null,
                Object(root, "fairness") is { } fairness ? ReadFairness(fairness) : null,
                [.. Array(root, "timings").Select(t => (Text(t, "stage") ?? "", Number(t, "seconds") ?? 0))]);
        }
    }

    private static EvidenceModel ReadModel(JsonElement e)
    {
        ConfusionMatrixData? matrix = null;
        if (Object(e, "confusionMatrix") is { } m)
        {
            var classes = Array(m, "classes").Select(c => c.ValueKind == JsonValueKind.String ? c.GetString()! : c.ToString()).ToList();
            var counts = Array(m, "counts").Select(row => (IReadOnlyList<double>)[.. Items(row).Select(v => Value(v) ?? 0)]).ToList();
            if (classes.Count > 0 && counts.Count == classes.Count && counts.All(row => row.Count == classes.Count))
            {
                matrix = new ConfusionMatrixData(classes, counts);
            }
        }

        return new EvidenceModel(
            Text(e, "modelType"),
            [.. Array(e, "metrics").Select(x => (Text(x, "name") ?? "", Number(x, "value")))],
            matrix,
            [.. Array(e, "perClass").Select(c => new PerClassMetrics(Text(c, "class") ?? "", Number(c, "precision") ?? double.NaN, Number(c, "recall") ?? double.NaN,
                (long)(Number(c, "support") ?? 0)))]);
    }

    private static EvidenceQuality ReadQuality(JsonElement e) => new(
        Text(e, "sentence"),
        Text(e, "metric"),
        Bool(e, "passes"),
        Bool(e, "hasChampion") ?? false,
        Number(e, "margin"),
        Number(e, "confidence"),
        [.. Array(e, "thresholds").Select(t => new EvidenceThreshold(Text(t, "metric") ?? "", Number(t, "threshold"), Bool(t, "higherIsBetter") ?? true,
            Number(t, "actual"), Bool(t, "passed") ?? false))]);

    private static EvidenceImportance ReadImportance(JsonElement e) => new(
        Text(e, "metric"),
        (int?)Number(e, "permutations"),
        (int?)Number(e, "rows"),
        Text(e, "method"),
        [.. Array(e, "columns").Select(c => new EvidenceColumnImportance(Text(c, "column") ?? "", Number(c, "importance") ?? 0, Number(c, "standardDeviation"),
            (int)(Number(c, "slots") ?? 1)))]);

    private static EvidenceExplanation ReadExplanation(JsonElement e) => new(
        Bool(e, "available") ?? false,
        Text(e, "statement"),
        Text(e, "prediction"),
        (int?)Number(e, "row"),
        [.. Array(e, "contributions").Select(c => new EvidenceContribution(Text(c, "column") ?? "", Text(c, "value") ?? "", Number(c, "contribution") ?? 0))]);

    private static EvidenceFairness ReadFairness(JsonElement e) => new(
        Text(e, "verdict"),
        Text(e, "statement"),
        [.. Array(e, "columns").Select(c => new EvidenceFairnessColumn(
            Text(c, "column") ?? "",
            [.. Array(c, "groups").Select(g => new EvidenceGroup(Text(g, "group") ?? "", (long)(Number(g, "rows") ?? 0), (long)(Number(g, "actualPositives") ?? 0),
                (long)(Number(g, "selected") ?? 0), (long)(Number(g, "truePositives") ?? 0)))],
            Number(c, "truePositiveRateGap"),
            Number(c, "selectionRateRatio"),
            Text(c, "truePositiveRateVerdict"),
            Text(c, "selectionRateVerdict"),
            [.. Array(c, "tooSmallGroups").Select(t => t.ToString())],
            Object(c, "bounds") is { } b ? Number(b, "maxTruePositiveRateGap") : null,
            Object(c, "bounds") is { } b2 ? Number(b2, "minSelectionRateRatio") : null))]);

    private static JsonElement? Object(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    private static IEnumerable<JsonElement> Array(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? Items(value) : [];

    private static IEnumerable<JsonElement> Items(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray() : [];

    /// <summary>A string, or an enum written as its name or its number, as text.</summary>
    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToString(),
            _ => null,
        } : null;

    private static double? Number(JsonElement e, string name) => e.TryGetProperty(name, out var value) ? Value(value) : null;

    /// <summary>A number; a non-finite one is written as a string ("NaN", "Infinity") and read back as such.</summary>
    private static double? Value(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String when double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };

    private static bool? Bool(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;
}

/// <summary>One model's metrics on the evaluation rows.</summary>
public sealed record EvidenceModel(string? ModelType, IReadOnlyList<(string Name, double? Value)> Metrics, ConfusionMatrixData? ConfusionMatrix,
    IReadOnlyList<PerClassMetrics> PerClass)
{
    public double? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name).Value;
}

public sealed record EvidenceQuality(string? Sentence, string? Metric, bool? Passes, bool HasChampion, double? Margin, double? Confidence,
    IReadOnlyList<EvidenceThreshold> Thresholds);

public sealed record EvidenceThreshold(string Metric, double? Threshold, bool HigherIsBetter, double? Actual, bool Passed);

public sealed record EvidenceImportance(string? Metric, int? Permutations, int? Rows, string? Method, IReadOnlyList<EvidenceColumnImportance> Columns);

public sealed record EvidenceColumnImportance(string Column, double Importance, double? StandardDeviation, int Slots);

public sealed record EvidenceExplanation(bool Available, string? Statement, string? Prediction, int? Row, IReadOnlyList<EvidenceContribution> Contributions);

public sealed record EvidenceContribution(string Column, string Value, double Contribution);

public sealed record EvidenceFairness(string? Verdict, string? Statement, IReadOnlyList<EvidenceFairnessColumn> Columns);

public sealed record EvidenceFairnessColumn(string Column, IReadOnlyList<EvidenceGroup> Groups, double? TruePositiveRateGap, double? SelectionRateRatio,
    string? TruePositiveRateVerdict, string? SelectionRateVerdict, IReadOnlyList<string> TooSmallGroups, double? MaxTruePositiveRateGap,
    double? MinSelectionRateRatio);

public sealed record EvidenceGroup(string Group, long Rows, long ActualPositives, long Selected, long TruePositives)
{
    public double? SelectionRate => Rows == 0 ? null : (double)Selected / Rows;

    public double? TruePositiveRate => ActualPositives == 0 ? null : (double)TruePositives / ActualPositives;
}
