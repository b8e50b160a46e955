using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Rollouts;

/// <summary>Identifies a <see cref="Rollout"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<RolloutId>))]
public readonly record struct RolloutId(Guid Value) : IStronglyTypedId<RolloutId>
{
    public static RolloutId New(DateTimeOffset now) => StronglyTypedId.New<RolloutId>(now);

    public static RolloutId From(Guid value) => new(value);

    public static RolloutId Parse(string text) => StronglyTypedId.Parse<RolloutId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out RolloutId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
