using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Serving;

/// <summary>
/// Identifies one scored row: its batch's id (<see cref="PredictionBatchId"/>) with the row's number in the last two bytes.
/// The batch is stored once per request (cheap to log at thousands of rows per second); a prediction id still names one row,
/// and ground truth posted for it (<see cref="PredictionFeedback"/>) finds its batch and row without a per-row index.
/// </summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<PredictionId>))]
public readonly record struct PredictionId(Guid Value) : IStronglyTypedId<PredictionId>
{
    /// <summary>Rows one batch can number: the two bytes the row takes.</summary>
    public const int MaxRowsPerBatch = 65_536;

    public static PredictionId For(PredictionBatchId batch, int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, MaxRowsPerBatch);
        Span<byte> bytes = stackalloc byte[16];
        batch.Value.TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[14] = (byte)(row >> 8);
        bytes[15] = (byte)row;
        return new(new Guid(bytes, bigEndian: true));
    }

    public PredictionBatchId Batch
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            Value.TryWriteBytes(bytes, bigEndian: true, out _);
            bytes[14] = 0;
            bytes[15] = 0;
            return new(new Guid(bytes, bigEndian: true));
        }
    }

    public int Row
    {
        get
        {
            Span<byte> bytes = stackalloc byte[16];
            Value.TryWriteBytes(bytes, bigEndian: true, out _);
            return (bytes[14] << 8) | bytes[15];
        }
    }

    public static PredictionId From(Guid value) => new(value);

    public static PredictionId Parse(string text) => StronglyTypedId.Parse<PredictionId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out PredictionId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
