using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Datasets;

/// <summary>Identifies a <see cref="Dataset"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<DatasetId>))]
public readonly record struct DatasetId(Guid Value) : IStronglyTypedId<DatasetId>
{
    public static DatasetId New(DateTimeOffset now) => StronglyTypedId.New<DatasetId>(now);

    public static DatasetId From(Guid value) => new(value);

    public static DatasetId Parse(string text) => StronglyTypedId.Parse<DatasetId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out DatasetId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
