using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Privacy;

/// <summary>Identifies an <see cref="ErasureRequest"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<ErasureRequestId>))]
public readonly record struct ErasureRequestId(Guid Value) : IStronglyTypedId<ErasureRequestId>
{
    public static ErasureRequestId New(DateTimeOffset now) => StronglyTypedId.New<ErasureRequestId>(now);

    public static ErasureRequestId From(Guid value) => new(value);

    public static ErasureRequestId Parse(string text) => StronglyTypedId.Parse<ErasureRequestId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out ErasureRequestId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
