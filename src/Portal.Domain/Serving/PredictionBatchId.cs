using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Serving;

/// <summary>
/// Identifies a <see cref="PredictionBatch"/>: one predict request. A version-7 Guid whose last two bytes are zero, so that
/// the prediction ids of its rows (<see cref="PredictionId"/>) carry the row number there and lead back to their batch.
/// </summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<PredictionBatchId>))]
public readonly record struct PredictionBatchId(Guid Value) : IStronglyTypedId<PredictionBatchId>
{
    public static PredictionBatchId New(DateTimeOffset now)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7(now).TryWriteBytes(bytes, bigEndian: true, out _);
        bytes[14] = 0;
        bytes[15] = 0;
        return new(new Guid(bytes, bigEndian: true));
    }

    public static PredictionBatchId From(Guid value) => new(value);

    public static PredictionBatchId Parse(string text) => StronglyTypedId.Parse<PredictionBatchId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out PredictionBatchId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
