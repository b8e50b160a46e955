using System.Text.Json;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Monitoring.Drift;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Application.Monitoring;

/// <summary>
/// The rows of logged predict requests turned into feature columns for drift and data quality, per a version's input
/// signature (<see cref="DriftFeatures"/>). Rows the endpoint refused (or the model failed on) count in <see cref="Rows"/>
/// and <see cref="RefusedRows"/> but do not enter the columns. In the columns a value that is absent, JSON null, blank or
/// not readable as the feature's type is missing (NaN for numbers, null for categories); a JSON number given to a text
/// feature is its text, a boolean is "true"/"false". Blank, NA, N/A, null and NaN text is missing, as in a dataset's CSV
/// (<see cref="CellValues.IsMissing"/>), so that the live rows and the training reference are read alike.
/// </summary>
public sealed class PredictionLogColumns
{
    private PredictionLogColumns(long rows, long refused, IReadOnlyList<FeatureColumn> columns)
    {
        Rows = rows;
        RefusedRows = refused;
        Columns = columns;
    }

    /// <summary>Every logged row, answered or refused.</summary>
    public long Rows { get; }

    /// <summary>Rows answered with an error (schema violations and model failures).</summary>
    public long RefusedRows { get; }

    /// <summary>Rows in the columns.</summary>
    public long AcceptedRows => Rows - RefusedRows;

    /// <summary>One column per measured feature of the signature, in its order.</summary>
    public IReadOnlyList<FeatureColumn> Columns { get; }

    /// <summary>Reads the batches' rows (in the order given).</summary>
    public static PredictionLogColumns Read(IEnumerable<PredictionBatch> batches, IReadOnlyList<InputFeature> signature)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var features = DriftFeatures.Of(signature);
        var numbers = features.Select(_ => new List<double>()).ToArray();
        var categories = features.Select(_ => new List<string?>()).ToArray();
        long rows = 0, refused = 0;
        foreach (var batch in batches)
        {
            rows += batch.RowCount;
            var failed = batch.ErrorCount > 0 ? FailedRows(batch.OutputsJson, batch.RowCount) : null;
            using var inputs = ParseOrNull(batch.InputsJson);
            if (inputs is null || inputs.RootElement.ValueKind != JsonValueKind.Array)
            {
                // An unreadable log entry: its rows cannot be compared, so they count as refused.
                refused += batch.RowCount;
                continue;
            }

            var index = 0;
            foreach (var row in inputs.RootElement.EnumerateArray())
            {
                var isFailed = failed is not null && index < failed.Length && failed[index];
                index++;
                if (isFailed || row.ValueKind != JsonValueKind.Object)
                {
                    refused++;
                    continue;
                }

                for (var f = 0; f < features.Count; f++)
                {
                    var value = row.TryGetProperty(features[f].Name, out var v) ? v : default;
                    if (features[f].Kind == FeatureKind.Numeric)
                    {
                        numbers[f].Add(Number(value));
                    }
                    else
                    {
                        categories[f].Add(Category(value));
                    }
                }
            }

            refused += Math.Max(0, batch.RowCount - index);
        }

        var columns = features.Select((feature, f) => feature.Kind == FeatureKind.Numeric
            ? FeatureColumn.Numeric(feature.Name, [.. numbers[f]])
            : FeatureColumn.Categorical(feature.Name, [.. categories[f]])).ToArray();
        return new PredictionLogColumns(rows, refused, columns);
    }

    private static JsonDocument? ParseOrNull(string json)
    {
        try
        {
            return JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Which rows got <c>{"error": ...}</c> back; every row when the outputs cannot be read.</summary>
    private static bool[] FailedRows(string outputsJson, int rowCount)
    {
        var failed = new bool[rowCount];
        using var outputs = ParseOrNull(outputsJson);
        if (outputs is null || outputs.RootElement.ValueKind != JsonValueKind.Array)
        {
            Array.Fill(failed, true);
            return failed;
        }

        var i = 0;
        foreach (var output in outputs.RootElement.EnumerateArray())
        {
            if (i >= rowCount)
            {
                break;
            }

            failed[i++] = output.ValueKind != JsonValueKind.Object
                || (output.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined));
        }

        return failed;
    }

    internal static double Number(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.TryGetDouble(out var d) && double.IsFinite(d) ? d : double.NaN,
        JsonValueKind.String => CellValues.TryParseNumber(value.GetString()!, out var d) ? d : double.NaN,
        JsonValueKind.True => 1,
        JsonValueKind.False => 0,
        _ => double.NaN,
    };

    internal static string? Category(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { } s && !CellValues.IsMissing(s) ? s : null,
        JsonValueKind.True => DriftFeatures.BooleanCategory(true),
        JsonValueKind.False => DriftFeatures.BooleanCategory(false),
        JsonValueKind.Number => value.GetRawText(),
        _ => null,
    };

    /// <summary>A CSV cell as the same feature's value: missing markers and unreadable numbers are missing.</summary>
    internal static double NumberFromCell(string cell) =>
        !CellValues.IsMissing(cell) && CellValues.TryParseNumber(cell.Trim(), out var d) ? d : double.NaN;

    /// <summary>A CSV cell as the same feature's category (booleans written the serving way).</summary>
    internal static string? CategoryFromCell(string cell, string type)
    {
        if (CellValues.IsMissing(cell))
        {
            return null;
        }

        return type == "Boolean" && CellValues.TryParseBoolean(cell, out var b) ? DriftFeatures.BooleanCategory(b) : cell;
    }
}
