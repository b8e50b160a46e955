using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Runs;

/// <summary>Identifies a <see cref="Run"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<RunId>))]
public readonly record struct RunId(Guid Value) : IStronglyTypedId<RunId>
{
    public static RunId New(DateTimeOffset now) => StronglyTypedId.New<RunId>(now);

    public static RunId From(Guid value) => new(value);

    public static RunId Parse(string text) => StronglyTypedId.Parse<RunId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out RunId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
