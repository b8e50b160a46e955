using System.Globalization;
using System.Text.Json;
using Portal.Domain.Monitoring;
using Portal.Domain.Serving;

namespace Portal.Application.Monitoring;

/// <summary>The values one feature took over a window's scored rows: numbers (NaN when missing) or text (null when missing).</summary>
public sealed class WindowColumn(MonitoredFeature feature)
{
    public MonitoredFeature Feature { get; } = feature;

    public List<double> Numbers { get; } = [];

    public List<string?> Values { get; } = [];

    public long Missing { get; set; }

    public long OutOfRange { get; set; }

    public long Unseen { get; set; }
}

/// <summary>
/// Gathers a window's logged batches into its figures: rows, refused rows (schema violations: the endpoint refused the row
/// against the signature), the prediction distribution from the answers, and per feature the values of the scored rows with
/// their data-quality counts against the training profile. A batch whose logged rows cannot be read does not stop the window:
/// its scored rows count as missing on every feature and the problem is kept for the log and the alert.
/// </summary>
public sealed class WindowBuilder
{
    /// <summary>How the scoring engine begins the error of a valid row the model failed on; any other error is a refusal of the input.</summary>
    private const string ModelFailurePrefix = "The model ";

    private readonly MonitoredVersion version;
    private readonly WindowColumn[] columns;
    private readonly Dictionary<string, long> labels = new(StringComparer.Ordinal);
    private readonly List<double> scores = [];
    private readonly List<string> problems = [];

    public WindowBuilder(MonitoredVersion version)
    {
        ArgumentNullException.ThrowIfNull(version);
        this.version = version;
        columns = [.. version.Features.Select(f => new WindowColumn(f))];
    }

    public long Rows { get; private set; }

    public long ErrorRows { get; private set; }

    public long SchemaViolations { get; private set; }

    public IReadOnlyList<WindowColumn> Columns => columns;

    /// <summary>What could not be read, one line per batch (poisoned rows).</summary>
    public IReadOnlyList<string> Problems => problems;

    public void Add(PredictionBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        Rows += batch.RowCount;
        ErrorRows += batch.ErrorCount;
        var refused = ReadOutputs(batch);
        ReadInputs(batch, refused);
    }

    /// <summary>Reads the answers; returns which rows were refused (null when the answers could not be read: every row is then taken as scored).</summary>
    private bool[]? ReadOutputs(PredictionBatch batch)
    {
        try
        {
            using var document = JsonDocument.Parse(batch.OutputsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("the answers are not a JSON array");
            }

            var refused = new bool[batch.RowCount];
            var row = 0;
            foreach (var output in document.RootElement.EnumerateArray())
            {
                if (output.ValueKind != JsonValueKind.Object)
                {
                    row++;
                    continue;
                }

                if (output.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
                {
                    if (!(error.GetString() ?? "").StartsWith(ModelFailurePrefix, StringComparison.Ordinal))
                    {
                        SchemaViolations++;
                        if (row < refused.Length)
                        {
                            refused[row] = true;
                        }
                    }
                }
                else if (output.TryGetProperty("predictedLabel", out var label) && label.ValueKind == JsonValueKind.String)
                {
                    var text = label.GetString() ?? "";
                    labels[text] = labels.GetValueOrDefault(text) + 1;
                }
                else if (output.TryGetProperty("score", out var score) && score.ValueKind == JsonValueKind.Number)
                {
                    scores.Add(score.GetDouble());
                }

                row++;
            }

            return refused;
        }
        catch (JsonException ex)
        {
            // Without the answers, the refusals are not known row by row: the batch's error count stands for them.
            SchemaViolations += batch.ErrorCount;
            problems.Add($"Batch {batch.Id}: the logged answers could not be read ({ex.Message}).");
            return null;
        }
    }

    private void ReadInputs(PredictionBatch batch, bool[]? refused)
    {
        var scored = batch.RowCount - (refused?.Count(r => r) ?? batch.ErrorCount);
        try
        {
            using var document = JsonDocument.Parse(batch.InputsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new JsonException("the rows are not a JSON array");
            }

            var row = 0;
            foreach (var input in document.RootElement.EnumerateArray())
            {
                if (refused is not null && row < refused.Length && refused[row])
                {
                    row++;
                    continue;
                }

                row++;
                if (input.ValueKind != JsonValueKind.Object)
                {
                    MissingEverywhere(1);
                    continue;
                }

                foreach (var column in columns)
                {
                    Read(column, input.TryGetProperty(column.Feature.Name, out var value) ? value : default);
                }
            }

            if (row != batch.RowCount)
            {
                problems.Add($"Batch {batch.Id}: {row.ToString(CultureInfo.InvariantCulture)} logged rows for {batch.RowCount.ToString(CultureInfo.InvariantCulture)} predicted.");
            }
        }
        catch (JsonException ex)
        {
            MissingEverywhere(Math.Max(0, scored));
            problems.Add($"Batch {batch.Id}: the logged rows could not be read ({ex.Message}); its {Math.Max(0, scored).ToString(CultureInfo.InvariantCulture)} scored rows count as missing.");
        }
    }

    private void MissingEverywhere(int rows)
    {
        foreach (var column in columns)
        {
            column.Missing += rows;
        }
    }

    private static void Read(WindowColumn column, JsonElement value)
    {
        var feature = column.Feature;
        if (feature.Kind == FeatureKind.Numeric)
        {
            var number = value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var d) && double.IsFinite(d) ? d : double.NaN;
            if (double.IsNaN(number))
            {
                column.Missing++;
                return;
            }

            column.Numbers.Add(number);
            if ((feature.Min is { } min && number < min) || (feature.Max is { } max && number > max))
            {
                column.OutOfRange++;
            }

            return;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (string.IsNullOrEmpty(text))
        {
            column.Missing++;
            return;
        }

        column.Values.Add(text);
        if (feature.KnownValues is { } known && !known.Contains(text))
        {
            column.Unseen++;
        }
    }

    /// <summary>Classification: how often each class was predicted; regression: scores in ten buckets over the training label's range.</summary>
    public IReadOnlyList<PredictionShare> Predictions()
    {
        if (!version.IsRegression)
        {
            return [.. labels.OrderByDescending(l => l.Value).ThenBy(l => l.Key, StringComparer.Ordinal).Select(l => new PredictionShare(l.Key, l.Value))];
        }

        var edges = version.ScoreBucketEdges.Count >= 2 ? version.ScoreBucketEdges : OwnEdges();
        if (edges.Count < 2)
        {
            return scores.Count == 0 ? [] : [new PredictionShare(Format(scores[0]), scores.Count)];
        }

        var counts = new long[edges.Count + 1];
        foreach (var score in scores)
        {
            var at = 0;
            while (at < edges.Count && score >= edges[at])
            {
                at++;
            }

            // Index 0 is below the first edge; the last bucket is closed on the right.
            counts[at == edges.Count && score == edges[^1] ? at - 1 : at]++;
        }

        var shares = new List<PredictionShare>();
        for (var i = 0; i < counts.Length; i++)
        {
            var name = i == 0 ? $"< {Format(edges[0])}"
                : i == edges.Count ? $"> {Format(edges[^1])}"
                : i == edges.Count - 1 ? $"[{Format(edges[i - 1])}, {Format(edges[i])}]"
                : $"[{Format(edges[i - 1])}, {Format(edges[i])})";
            if (counts[i] > 0 || (i > 0 && i < edges.Count))
            {
                shares.Add(new PredictionShare(name, counts[i]));
            }
        }

        return shares;
    }

    public WindowQuality Quality() =>
        new(Rows, SchemaViolations, [.. columns.Select(c => new FeatureQuality(c.Feature.Name, c.Missing, c.OutOfRange, c.Unseen))]);

    private List<double> OwnEdges()
    {
        if (scores.Count == 0)
        {
            return [];
        }

        var (min, max) = (scores.Min(), scores.Max());
        return max <= min ? [] : [.. Enumerable.Range(0, 11).Select(i => min + (i * (max - min) / 10))];
    }

    private static string Format(double value) => value.ToString("G4", CultureInfo.InvariantCulture);
}
