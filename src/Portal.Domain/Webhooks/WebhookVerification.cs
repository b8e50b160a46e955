namespace Portal.Domain.Webhooks;

/// <summary>The outcome of <see cref="WebhookSignature.Verify(string, string?, string, DateTimeOffset, TimeSpan?)"/>: valid, or why not.</summary>
public sealed record WebhookVerification(bool IsValid, string? Reason)
{
    public static readonly WebhookVerification Valid = new(true, null);

    public static WebhookVerification Fail(string reason) => new(false, reason);
}
