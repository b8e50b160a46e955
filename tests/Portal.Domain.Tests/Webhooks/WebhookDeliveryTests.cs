using System.Text.Json;
using Portal.Domain.Webhooks;

namespace Portal.Domain.Tests.Webhooks;

public sealed class WebhookDeliveryTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    private static WebhookDelivery NewDelivery() =>
        WebhookDelivery.Create(WebhookSubscriptionId.New(Now), WebhookEventTypes.PromotionApproved, """{"model":"churn"}""", Now);

    [Fact]
    public void NewDeliveryIsDueAtOnceWithAnEnvelopeNamingItsIdAndType()
    {
        var delivery = NewDelivery();

        Assert.True(delivery.IsDue(Now));
        using var body = JsonDocument.Parse(delivery.Payload);
        Assert.Equal(delivery.Id.ToString(), body.RootElement.GetProperty("id").GetString());
        Assert.Equal("promotion.approved", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("churn", body.RootElement.GetProperty("data").GetProperty("model").GetString());
    }

    [Fact]
    public void UnknownEventTypeIsAProgrammingError() =>
        Assert.Throws<ArgumentException>(() => WebhookDelivery.Create(WebhookSubscriptionId.New(Now), "promotion.approve", "{}", Now));

    [Fact]
    public void FailuresFollowTheScheduleThenGiveUp()
    {
        var delivery = NewDelivery();
        var at = Now;
        foreach (var delay in WebhookRetrySchedule.Delays)
        {
            delivery.AttemptFailed(500, "The receiver answered 500.", at);
            Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
            Assert.Equal((at + delay).UtcDateTime, delivery.NextAttemptUtc);
            Assert.False(delivery.IsDue(at + delay - TimeSpan.FromSeconds(1)));
            at += delay;
        }

        delivery.AttemptFailed(null, "No answer within 10 s.", at);

        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(6, delivery.Attempts);
        Assert.Null(delivery.NextAttemptUtc);
        Assert.Null(delivery.LastStatusCode);
        Assert.Equal("No answer within 10 s.", delivery.LastError);
    }

    [Fact]
    public void RetryNowGivesAFailedDeliveryOneMoreAttempt()
    {
        var delivery = NewDelivery();
        for (var i = 0; i < WebhookRetrySchedule.MaxAttempts; i++)
        {
            delivery.AttemptFailed(503, "down", Now);
        }

        delivery.RetryNow(Now.AddDays(1));

        Assert.True(delivery.IsDue(Now.AddDays(1)));
        delivery.AttemptFailed(503, "still down", Now.AddDays(1));
        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Equal(7, delivery.Attempts);
    }

    [Fact]
    public void DeliveredDeliveryCannotBeRetriedOrDeliveredAgain()
    {
        var delivery = NewDelivery();
        delivery.Delivered(204, Now);

        Assert.Equal(Now.UtcDateTime, delivery.DeliveredUtc);
        Assert.Throws<InvalidOperationException>(() => delivery.RetryNow(Now));
        Assert.Throws<InvalidOperationException>(() => delivery.Delivered(200, Now));
    }

    [Fact]
    public void LongErrorsAreShortened()
    {
        var delivery = NewDelivery();
        delivery.AttemptFailed(null, new string('e', 5000), Now);

        Assert.Equal(WebhookDelivery.MaxErrorLength, delivery.LastError!.Length);
    }
}
