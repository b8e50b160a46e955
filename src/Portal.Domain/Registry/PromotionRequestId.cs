using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Registry;

/// <summary>Identifies a <see cref="PromotionRequest"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<PromotionRequestId>))]
public readonly record struct PromotionRequestId(Guid Value) : IStronglyTypedId<PromotionRequestId>
{
    public static PromotionRequestId New(DateTimeOffset now) => StronglyTypedId.New<PromotionRequestId>(now);

    public static PromotionRequestId From(Guid value) => new(value);

    public static PromotionRequestId Parse(string text) => StronglyTypedId.Parse<PromotionRequestId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out PromotionRequestId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
