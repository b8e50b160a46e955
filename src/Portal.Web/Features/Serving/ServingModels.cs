using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Serving;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>The body of <c>POST /api/models/{name}/predict</c>: the rows (JSON objects of the model's inputs) and an optional routing key.</summary>
public sealed record PredictRequest(JsonElement? Rows, string? RoutingKey);

/// <summary>The answer: one prediction per row, in order.</summary>
public sealed record PredictResponse(IReadOnlyList<PredictionOutput> Predictions);

/// <summary>One row's prediction: its id, the version that answered, and either the label or score (with probabilities) or the error.</summary>
public sealed record PredictionOutput(
    PredictionId PredictionId,
    int ModelVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PredictedLabel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error);

/// <summary>What a row got, as the prediction log stores it (<see cref="PredictionBatch.OutputsJson"/>) and feedback reads it back.</summary>
public sealed record LoggedOutput(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PredictedLabel,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Score,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, double>? Probabilities,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private static readonly JsonEncodedText PredictedLabelName = JsonEncodedText.Encode("predictedLabel");
    private static readonly JsonEncodedText ScoreName = JsonEncodedText.Encode("score");
    private static readonly JsonEncodedText ProbabilitiesName = JsonEncodedText.Encode("probabilities");
    private static readonly JsonEncodedText ErrorName = JsonEncodedText.Encode("error");

    /// <summary>
    /// Writes what each row got as the JSON array <see cref="Json"/> reads back into <see cref="LoggedOutput"/>s, straight
    /// from the scored rows (no intermediate records, no reflection).
    /// </summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<RowPrediction> rows)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(rows);
        writer.WriteStartArray();
        foreach (var row in rows)
        {
            writer.WriteStartObject();
            if (row.PredictedLabel is not null)
            {
                writer.WriteString(PredictedLabelName, row.PredictedLabel);
            }

            if (row.Score is { } score)
            {
                writer.WriteNumber(ScoreName, score);
            }

            if (row.Probabilities is not null)
            {
                writer.WriteStartObject(ProbabilitiesName);
                foreach (var (label, probability) in row.Probabilities)
                {
                    writer.WriteNumber(label, probability);
                }

                writer.WriteEndObject();
            }

            if (row.Error is not null)
            {
                writer.WriteString(ErrorName, row.Error);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }
}

/// <summary>The body of <c>POST /api/feedback</c>.</summary>
public sealed record FeedbackRequest(IReadOnlyList<FeedbackItem?>? Items);

/// <summary>Ground truth for one prediction.</summary>
public sealed record FeedbackItem(string? PredictionId, string? ActualLabel);

/// <summary>What became of one feedback item: <c>recorded</c> (200), <c>notFound</c> (404: no logged prediction has that id) or <c>invalid</c> (400).</summary>
public sealed record FeedbackItemResult(
    string? PredictionId,
    string Result,
    int Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Correct,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? AbsoluteError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error)
{
    public const string Recorded = "recorded";
    public const string NotFound = "notFound";
    public const string Invalid = "invalid";
}

/// <summary>The answer to a feedback request: one result per item, in order.</summary>
public sealed record FeedbackResponse(IReadOnlyList<FeedbackItemResult> Items);
