using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Experiments;

/// <summary>Identifies an <see cref="Experiment"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<ExperimentId>))]
public readonly record struct ExperimentId(Guid Value) : IStronglyTypedId<ExperimentId>
{
    public static ExperimentId New(DateTimeOffset now) => StronglyTypedId.New<ExperimentId>(now);

    public static ExperimentId From(Guid value) => new(value);

    public static ExperimentId Parse(string text) => StronglyTypedId.Parse<ExperimentId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out ExperimentId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
