namespace Portal.Domain.Webhooks;

/// <summary>Where a <see cref="WebhookDelivery"/> stands.</summary>
public enum WebhookDeliveryStatus
{
    /// <summary>Not delivered yet: due at its next attempt time (the first attempt at once, later ones after a back-off).</summary>
    Pending = 0,

    /// <summary>The receiver answered with a 2xx.</summary>
    Delivered = 1,

    /// <summary>Every attempt of the schedule failed (or the webhook was deactivated): given up until an administrator retries it.</summary>
    Failed = 2,
}
