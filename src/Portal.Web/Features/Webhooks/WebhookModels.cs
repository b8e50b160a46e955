using System.Text.Json.Serialization;
using Portal.Domain.Webhooks;

namespace Portal.Web.Features.Webhooks;

/// <summary>A new webhook: a name, an absolute http(s) URL and the events it wants (names of <see cref="WebhookEventTypes"/>, or "*").</summary>
public sealed record CreateWebhookRequest(string? Name, string? Url, IReadOnlyList<string>? Events);

/// <summary>A webhook as lists show it: never its secret.</summary>
public sealed record WebhookRow(
    WebhookSubscriptionId Id, string Name, string Url, IReadOnlyList<string> Events, bool Active, string CreatedBy, DateTime CreatedUtc, DateTime? DeactivatedUtc);

/// <summary>A webhook just created, with its signing secret: the only time the secret is shown.</summary>
public sealed record CreatedWebhook(WebhookRow Webhook, string Secret);

public sealed record DeliveryQuery(WebhookSubscriptionId? WebhookId, WebhookDeliveryStatus? Status, int Page, int PageSize);

/// <summary>One delivery and how its attempts went.</summary>
public sealed record DeliveryRow(
    WebhookDeliveryId Id,
    WebhookSubscriptionId WebhookId,
    string Webhook,
    string EventType,
    [property: JsonConverter(typeof(JsonStringEnumConverter<WebhookDeliveryStatus>))] WebhookDeliveryStatus Status,
    int Attempts,
    int MaxAttempts,
    DateTime CreatedUtc,
    DateTime? NextAttemptUtc,
    DateTime? LastAttemptUtc,
    int? LastStatusCode,
    string? LastError,
    DateTime? DeliveredUtc);
