using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Webhooks;

/// <summary>Identifies a <see cref="WebhookDelivery"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<WebhookDeliveryId>))]
public readonly record struct WebhookDeliveryId(Guid Value) : IStronglyTypedId<WebhookDeliveryId>
{
    public static WebhookDeliveryId New(DateTimeOffset now) => StronglyTypedId.New<WebhookDeliveryId>(now);

    public static WebhookDeliveryId From(Guid value) => new(value);

    public static WebhookDeliveryId Parse(string text) => StronglyTypedId.Parse<WebhookDeliveryId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out WebhookDeliveryId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
