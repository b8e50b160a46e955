using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Application.Monitoring;

/// <summary>
/// The retraining loop's training data from the prediction log: each labelled prediction's row as its caller sent it
/// (<see cref="PredictionBatch.InputsJson"/>), the model's input signature as columns, and its ground truth
/// (<see cref="PredictionFeedback.ActualLabel"/>) as the label column — a CSV like any upload.
/// </summary>
public static class RetrainingData
{
    /// <summary>Labelled predictions of the model made at or after <paramref name="fromUtc"/>.</summary>
    public static Task<int> CountLabelledAsync(PortalDbContext db, RegisteredModelId modelId, DateTime fromUtc, CancellationToken cancellationToken) =>
        db.PredictionFeedback.Where(f => f.ModelId == modelId && f.PredictedUtc >= fromUtc).CountAsync(cancellationToken);

    /// <summary>
    /// The latest <paramref name="maxRows"/> labelled predictions made at or after <paramref name="fromUtc"/>, as CSV text (header:
    /// the signature's names, then <paramref name="labelColumn"/>), with the number of rows written. Rows whose logged input is not an
    /// object (a refused request) are skipped.
    /// </summary>
    public static async Task<(string Csv, int Rows)> BuildCsvAsync(PortalDbContext db, RegisteredModelId modelId, IReadOnlyList<InputFeature> signature,
        string labelColumn, DateTime fromUtc, int maxRows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var labels = await db.PredictionFeedback.AsNoTracking()
            .Where(f => f.ModelId == modelId && f.PredictedUtc >= fromUtc)
            .OrderByDescending(f => f.PredictedUtc)
            .Take(maxRows)
            .Select(f => new { f.PredictionId, f.BatchId, f.ActualLabel })
            .ToListAsync(cancellationToken);
        var batchIds = labels.Select(l => l.BatchId).Distinct().ToList();
        var inputs = new Dictionary<PredictionBatchId, JsonElement>();
        foreach (var chunk in batchIds.Chunk(500))
        {
            foreach (var batch in await db.PredictionBatches.AsNoTracking().Where(b => chunk.Contains(b.Id))
                         .Select(b => new { b.Id, b.InputsJson }).ToListAsync(cancellationToken))
            {
                using var document = JsonDocument.Parse(batch.InputsJson);
                inputs[batch.Id] = document.RootElement.Clone();
            }
        }

        var csv = new StringBuilder();
        csv.AppendJoin(',', signature.Select(f => Quote(f.Name)).Append(Quote(labelColumn))).Append('\n');
        var rows = 0;
        // Oldest first, as the rows arrived.
        foreach (var label in Enumerable.Reverse(labels))
        {
            if (!inputs.TryGetValue(label.BatchId, out var batchRows) || batchRows.ValueKind != JsonValueKind.Array
                || label.PredictionId.Row >= batchRows.GetArrayLength())
            {
                continue;
            }

            var row = batchRows[label.PredictionId.Row];
            if (row.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            foreach (var feature in signature)
            {
                csv.Append(row.TryGetProperty(feature.Name, out var value) ? Quote(Cell(value)) : "").Append(',');
            }

            csv.Append(Quote(label.ActualLabel)).Append('\n');
            rows++;
        }

        return (csv.ToString(), rows);
    }

    private static string Cell(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Number => value.TryGetDouble(out var number) ? number.ToString("R", CultureInfo.InvariantCulture) : value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => value.GetRawText(),
    };

    private static string Quote(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : text;
}
