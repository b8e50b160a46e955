using System.Text.Json;
using System.Text.Json.Nodes;

namespace Portal.Domain.Webhooks;

/// <summary>
/// One event for one subscription: the exact body to POST (fixed at enqueue, so every attempt sends the same bytes
/// and the receiver can de-duplicate on <see cref="Id"/>), and the story of its attempts. Written in the transaction
/// of the change it tells of (a transactional outbox); a dispatcher claims it when due with a lease, posts it, and
/// records the outcome: delivered on a 2xx, else retried after <see cref="WebhookRetrySchedule"/>'s back-off until the
/// schedule gives up.
/// </summary>
public sealed class WebhookDelivery
{
    public const int MaxErrorLength = 500;

    private WebhookDelivery()
    {
    }

    public WebhookDeliveryId Id { get; private set; }

    public WebhookSubscriptionId SubscriptionId { get; private set; }

    public string EventType { get; private set; } = "";

    /// <summary>The JSON body sent: <c>{ id, type, createdAt, data }</c>.</summary>
    public string Payload { get; private set; } = "";

    public WebhookDeliveryStatus Status { get; private set; }

    public int Attempts { get; private set; }

    /// <summary>Attempts allowed before giving up: the schedule's, or one more after an administrator's retry.</summary>
    public int MaxAttempts { get; private set; }

    public DateTime CreatedUtc { get; private set; }

    /// <summary>When a pending delivery is due; null once delivered or given up.</summary>
    public DateTime? NextAttemptUtc { get; private set; }

    public DateTime? LastAttemptUtc { get; private set; }

    /// <summary>The receiver's HTTP status at the last attempt; null when there was no answer (timeout, refused connection).</summary>
    public int? LastStatusCode { get; private set; }

    public string? LastError { get; private set; }

    public DateTime? DeliveredUtc { get; private set; }

    /// <summary>The dispatcher holding the delivery while it posts; another may take over after <see cref="LeaseExpiresUtc"/>.</summary>
    public string? LeaseOwner { get; private set; }

    public DateTime? LeaseExpiresUtc { get; private set; }

    /// <summary>Set by each claim and checked when the outcome is written, so a dispatcher whose lease was taken over records nothing.</summary>
    public Guid? ClaimToken { get; private set; }

    /// <summary>A pending delivery of <paramref name="dataJson"/> as <paramref name="eventType"/> to a subscription, due at once.</summary>
    public static WebhookDelivery Create(WebhookSubscriptionId subscriptionId, string eventType, string dataJson, DateTimeOffset now)
    {
        if (!WebhookEventTypes.IsKnown(eventType))
        {
            throw new ArgumentException($"'{eventType}' is not a webhook event type ({string.Join(", ", WebhookEventTypes.Known)}).", nameof(eventType));
        }

        var id = WebhookDeliveryId.New(now);
        var body = new JsonObject
        {
            ["id"] = id.ToString(),
            ["type"] = eventType,
            ["createdAt"] = now.UtcDateTime,
            ["data"] = JsonNode.Parse(dataJson),
        };
        return new WebhookDelivery
        {
            Id = id,
            SubscriptionId = subscriptionId,
            EventType = eventType,
            Payload = body.ToJsonString(new JsonSerializerOptions(JsonSerializerDefaults.Web)),
            Status = WebhookDeliveryStatus.Pending,
            MaxAttempts = WebhookRetrySchedule.MaxAttempts,
            CreatedUtc = now.UtcDateTime,
            NextAttemptUtc = now.UtcDateTime,
        };
    }

    /// <summary>
    /// A pending delivery of an OpenLineage RunEvent to the lineage endpoint's system subscription, due at once: the body
    /// is the event itself (an OpenLineage receiver such as Marquez takes no envelope), fixed here like every payload.
    /// </summary>
    public static WebhookDelivery CreateOpenLineage(WebhookSubscriptionId subscriptionId, string runEventJson, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runEventJson);
        return new WebhookDelivery
        {
            Id = WebhookDeliveryId.New(now),
            SubscriptionId = subscriptionId,
            EventType = WebhookEventTypes.OpenLineageRunEvent,
            Payload = runEventJson,
            Status = WebhookDeliveryStatus.Pending,
            MaxAttempts = WebhookRetrySchedule.MaxAttempts,
            CreatedUtc = now.UtcDateTime,
            NextAttemptUtc = now.UtcDateTime,
        };
    }

    public bool IsDue(DateTimeOffset now) => Status == WebhookDeliveryStatus.Pending && NextAttemptUtc <= now.UtcDateTime;

    /// <summary>The receiver took it (a 2xx).</summary>
    public void Delivered(int statusCode, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        Status = WebhookDeliveryStatus.Delivered;
        LastAttemptUtc = now.UtcDateTime;
        DeliveredUtc = now.UtcDateTime;
        LastStatusCode = statusCode;
        LastError = null;
        NextAttemptUtc = null;
        Release();
    }

    /// <summary>An attempt failed: rescheduled after the back-off, or given up when it was the last allowed.</summary>
    public void AttemptFailed(int? statusCode, string error, DateTimeOffset now)
    {
        EnsurePending();
        Attempts++;
        LastAttemptUtc = now.UtcDateTime;
        LastStatusCode = statusCode;
        LastError = Shorten(error);
        var delay = Attempts < MaxAttempts ? WebhookRetrySchedule.DelayAfter(Attempts) : null;
        if (delay is null)
        {
            Status = WebhookDeliveryStatus.Failed;
            NextAttemptUtc = null;
        }
        else
        {
            NextAttemptUtc = now.UtcDateTime + delay.Value;
        }

        Release();
    }

    /// <summary>Gives up without an attempt (the subscription was deactivated before the delivery went out).</summary>
    public void Abandon(string reason)
    {
        EnsurePending();
        Status = WebhookDeliveryStatus.Failed;
        LastError = Shorten(reason);
        NextAttemptUtc = null;
        Release();
    }

    /// <summary>An administrator sends a delivery that gave up once more, now; if that attempt fails it gives up again.</summary>
    public void RetryNow(DateTimeOffset now)
    {
        if (Status != WebhookDeliveryStatus.Failed)
        {
            throw new InvalidOperationException(Status == WebhookDeliveryStatus.Delivered
                ? "This delivery has been delivered; there is nothing to retry."
                : "This delivery is still pending; it will be attempted on its schedule.");
        }

        Status = WebhookDeliveryStatus.Pending;
        MaxAttempts = Attempts + 1;
        NextAttemptUtc = now.UtcDateTime;
        Release();
    }

    private void EnsurePending()
    {
        if (Status != WebhookDeliveryStatus.Pending)
        {
            throw new InvalidOperationException($"The delivery is {Status}, not pending.");
        }
    }

    private void Release()
    {
        LeaseOwner = null;
        LeaseExpiresUtc = null;
        ClaimToken = null;
    }

    private static string Shorten(string text) => text.Length <= MaxErrorLength ? text : text[..(MaxErrorLength - 1)] + "…";
}
