using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Registry;

/// <summary>Identifies a <see cref="ModelVersion"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<ModelVersionId>))]
public readonly record struct ModelVersionId(Guid Value) : IStronglyTypedId<ModelVersionId>
{
    public static ModelVersionId New(DateTimeOffset now) => StronglyTypedId.New<ModelVersionId>(now);

    public static ModelVersionId From(Guid value) => new(value);

    public static ModelVersionId Parse(string text) => StronglyTypedId.Parse<ModelVersionId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out ModelVersionId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
