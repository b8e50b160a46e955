using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Registry;

/// <summary>Identifies a <see cref="RegisteredModel"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<RegisteredModelId>))]
public readonly record struct RegisteredModelId(Guid Value) : IStronglyTypedId<RegisteredModelId>
{
    public static RegisteredModelId New(DateTimeOffset now) => StronglyTypedId.New<RegisteredModelId>(now);

    public static RegisteredModelId From(Guid value) => new(value);

    public static RegisteredModelId Parse(string text) => StronglyTypedId.Parse<RegisteredModelId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out RegisteredModelId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
