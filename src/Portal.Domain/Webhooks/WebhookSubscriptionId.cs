using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;
using Portal.Domain.Ids;

namespace Portal.Domain.Webhooks;

/// <summary>Identifies a <see cref="WebhookSubscription"/>.</summary>
[JsonConverter(typeof(StronglyTypedIdJsonConverter<WebhookSubscriptionId>))]
public readonly record struct WebhookSubscriptionId(Guid Value) : IStronglyTypedId<WebhookSubscriptionId>
{
    public static WebhookSubscriptionId New(DateTimeOffset now) => StronglyTypedId.New<WebhookSubscriptionId>(now);

    public static WebhookSubscriptionId From(Guid value) => new(value);

    public static WebhookSubscriptionId Parse(string text) => StronglyTypedId.Parse<WebhookSubscriptionId>(text);

    public static bool TryParse([NotNullWhen(true)] string? text, out WebhookSubscriptionId id) => StronglyTypedId.TryParse(text, out id);

    public override string ToString() => StronglyTypedId.Format(Value);
}
