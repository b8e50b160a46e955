using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Monitoring;

/// <summary>Identifies a <see cref="Retraining"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<RetrainingId>))]
public readonly record struct RetrainingId(Guid Value) : IStronglyTypedId<RetrainingId>
{
    public static RetrainingId New(DateTimeOffset now) => StronglyTypedId.New<RetrainingId>(now);

    public static RetrainingId From(Guid value) => new(value);

    public static RetrainingId Parse(string text) => StronglyTypedId.Parse<RetrainingId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out RetrainingId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
