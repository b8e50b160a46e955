using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Monitoring;

/// <summary>Identifies a <see cref="MonitoringWindow"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<MonitoringWindowId>))]
public readonly record struct MonitoringWindowId(Guid Value) : IStronglyTypedId<MonitoringWindowId>
{
    public static MonitoringWindowId New(DateTimeOffset now) => StronglyTypedId.New<MonitoringWindowId>(now);

    public static MonitoringWindowId From(Guid value) => new(value);

    public static MonitoringWindowId Parse(string text) => StronglyTypedId.Parse<MonitoringWindowId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out MonitoringWindowId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
