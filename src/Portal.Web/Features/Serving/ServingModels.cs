using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Serving;
using Portal.Ml.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>The body of <c>POST /api/models/{name}/predict</c>: the rows (JSON objects of the model's inputs) and an optional routing key.</summary>
public sealed record PredictRequest(JsonElement? Rows, string? RoutingKey)
{
    /// <summary>
    /// The request in a parsed body, read as the model binder would (property names in any case, unknown ones ignored,
    /// the last of a repeated one wins), or why it cannot be one. <see cref="Rows"/> stays an element of that body.
    /// </summary>
    public static PredictRequest? From(JsonElement body, out string? error)
    {
        error = null;
        if (body.ValueKind != JsonValueKind.Object)
        {
            error = "Send a JSON object: { \"rows\": [ { \"<feature>\": value, ... } ], \"routingKey\": \"optional\" }.";
            return null;
        }

        JsonElement? rows = null;
        string? routingKey = null;
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals("rows") || property.Name.Equals("rows", StringComparison.OrdinalIgnoreCase))
            {
                rows = property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
            else if (property.NameEquals("routingKey") || property.Name.Equals("routingKey", StringComparison.OrdinalIgnoreCase))
            {
                if (property.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                {
                    error = $"'routingKey' must be a string (or left out); it is {property.Value.ValueKind.ToString().ToLowerInvariant()}.";
                    return null;
                }

                routingKey = property.Value.GetString();
            }
        }

        return new PredictRequest(rows, routingKey);
    }
}

/// <summary>The answer: one prediction per row, in order. (Documents the shape; <see cref="ScoredBatch"/> writes it.)</summary>
public sealed record PredictResponse(IReadOnlyList<PredictionOutput> Predictions);

/// <summary>
/// A predict request's scored rows, answered as <see cref="PredictResponse"/>'s JSON: each row's id and version, then its
/// members as <see cref="WrittenOutputs"/> already holds them (written once for the answer and the log). No record per row,
/// no reflection: for a batch of 1,000 rows the serializer's walk over the records and their dictionaries cost as much as
/// parsing the request (docs/benchmarks.md, "Serving, fifth pass"). The outputs' buffer is given back once the answer is
/// written.
/// </summary>
public sealed class ScoredBatch(PredictionBatchId id, int modelVersion, WrittenOutputs outputs) : IResult, IDisposable
{
    // Sent to the client in pieces of about this size, so that a large answer is not held whole in the pipe.
    private const int BytesPerFlush = 32 * 1024;

    // More than a row's prefix and suffix take: the separating comma, {"predictionId":"<36>","modelVersion":<up to 11>, and }.
    private const int RowFrameBytes = 96;

    public PredictionBatchId Id { get; } = id;

    public int ModelVersion { get; } = modelVersion;

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        try
        {
            var response = httpContext.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = "application/json; charset=utf-8";
            var body = response.BodyWriter;
            var unflushed = Write(body, "{\"predictions\":["u8);
            for (var r = 0; r < outputs.Count; r++)
            {
                unflushed += WriteRow(body, r);
                if (unflushed >= BytesPerFlush)
                {
                    await body.FlushAsync(httpContext.RequestAborted);
                    unflushed = 0;
                }
            }

            Write(body, "]}"u8);
            await body.FlushAsync(httpContext.RequestAborted);
        }
        finally
        {
            Dispose();
        }
    }

    public void Dispose() => outputs.Dispose();

    private static int Write(IBufferWriter<byte> body, ReadOnlySpan<byte> bytes)
    {
        body.Write(bytes);
        return bytes.Length;
    }

    /// <summary><c>{"predictionId":"…","modelVersion":N,</c> and the row's members, then <c>}</c>; a comma before every row but the first.</summary>
    private int WriteRow(IBufferWriter<byte> body, int row)
    {
        var members = outputs.MembersOf(row);
        var span = body.GetSpan(RowFrameBytes + members.Length);
        var at = 0;
        if (row > 0)
        {
            span[at++] = (byte)',';
        }

        at += Copy("{\"predictionId\":\""u8, span[at..]);
        PredictionId.For(Id, row).Value.TryFormat(span[at..], out var written, "D");
        at += written;
        at += Copy("\",\"modelVersion\":"u8, span[at..]);
        ModelVersion.TryFormat(span[at..], out written, default, CultureInfo.InvariantCulture);
        at += written;
        if (!members.IsEmpty)
        {
            span[at++] = (byte)',';
            at += Copy(members, span[at..]);
        }

        span[at++] = (byte)'}';
        body.Advance(at);
        return at;
    }

    private static int Copy(ReadOnlySpan<byte> from, Span<byte> to)
    {
        from.CopyTo(to);
        return from.Length;
    }
}

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

    /// <summary>What one row got, as members of the object being written (the logged form's, and the answer's after its id and version).</summary>
    public static void WriteFields(Utf8JsonWriter writer, RowPrediction row)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(row);
        if (row.PredictedLabel is not null)
        {
            writer.WriteString(PredictedLabelName, row.PredictedLabel);
        }

        if (row.Score is { } score)
        {
            if (IsSingle(score, out var single))
            {
                writer.WriteNumber(ScoreName, single);
            }
            else
            {
                writer.WriteNumber(ScoreName, score);
            }
        }

        if (row.Probabilities is not null)
        {
            writer.WriteStartObject(ProbabilitiesName);
            foreach (var (label, probability) in row.Probabilities)
            {
                if (IsSingle(probability, out var single))
                {
                    writer.WriteNumber(label, single);
                }
                else
                {
                    writer.WriteNumber(label, probability);
                }
            }

            writer.WriteEndObject();
        }

        if (row.Error is not null)
        {
            writer.WriteString(ErrorName, row.Error);
        }
    }

    /// <summary>
    /// Whether a score or probability is exactly a float, as ML.NET computes them: it is then written as the float's
    /// shortest text (at most 9 digits), which reads back to the same float, rather than the double's (up to 17 digits,
    /// sometimes by the slow exact algorithm). Formatting them was most of the time spent writing outputs, for the answer and
    /// for the log (docs/benchmarks.md, "Serving, seventh pass").
    /// </summary>
    private static bool IsSingle(double value, out float single)
    {
        single = (float)value;
        return single == value;
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
