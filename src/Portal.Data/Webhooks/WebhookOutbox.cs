using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Webhooks;

namespace Portal.Data.Webhooks;

/// <summary>
/// The webhook outbox: a state change enqueues its event on the context that saves the change, so the deliveries are
/// written by the same SaveChanges, in the same transaction (committed together or not at all). Enqueueing only adds
/// rows; the posting happens later in the dispatcher, so a slow or failing receiver never holds up the change.
/// </summary>
public static class WebhookOutbox
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Adds one pending delivery of <paramref name="payload"/> (serialized as camel-case JSON, the body's <c>data</c>)
    /// per active subscription that wants <paramref name="eventType"/> (a <see cref="WebhookEventTypes"/> name) to
    /// <paramref name="db"/>; they are written by its next save. Returns how many were added.
    /// </summary>
    public static async Task<int> EnqueueWebhooksAsync(
        this PortalDbContext db, string eventType, object payload, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!WebhookEventTypes.IsKnown(eventType))
        {
            throw new ArgumentException($"'{eventType}' is not a webhook event type ({string.Join(", ", WebhookEventTypes.Known)}).", nameof(eventType));
        }

        var subscriptions = await db.WebhookSubscriptions.AsNoTracking()
            .Where(s => s.IsActive)
            .ToListAsync(cancellationToken);
        var data = JsonSerializer.Serialize(payload, PayloadJson);
        var added = 0;
        foreach (var subscription in subscriptions.Where(s => s.Wants(eventType)))
        {
            db.WebhookDeliveries.Add(WebhookDelivery.Create(subscription.Id, eventType, data, now));
            added++;
        }

        return added;
    }
}
