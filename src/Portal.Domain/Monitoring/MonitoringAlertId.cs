using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Monitoring;

/// <summary>Identifies a <see cref="MonitoringAlert"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<MonitoringAlertId>))]
public readonly record struct MonitoringAlertId(Guid Value) : IStronglyTypedId<MonitoringAlertId>
{
    public static MonitoringAlertId New(DateTimeOffset now) => StronglyTypedId.New<MonitoringAlertId>(now);

    public static MonitoringAlertId From(Guid value) => new(value);

    public static MonitoringAlertId Parse(string text) => StronglyTypedId.Parse<MonitoringAlertId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out MonitoringAlertId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
