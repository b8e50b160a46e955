using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Datasets;

/// <summary>Identifies a <see cref="DatasetVersion"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<DatasetVersionId>))]
public readonly record struct DatasetVersionId(Guid Value) : IStronglyTypedId<DatasetVersionId>
{
    public static DatasetVersionId New(DateTimeOffset now) => StronglyTypedId.New<DatasetVersionId>(now);

    public static DatasetVersionId From(Guid value) => new(value);

    public static DatasetVersionId Parse(string text) => StronglyTypedId.Parse<DatasetVersionId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out DatasetVersionId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
