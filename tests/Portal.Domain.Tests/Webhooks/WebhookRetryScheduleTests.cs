using Portal.Domain.Webhooks;

namespace Portal.Domain.Tests.Webhooks;

public sealed class WebhookRetryScheduleTests
{
    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 60)]
    [InlineData(3, 300)]
    [InlineData(4, 1800)]
    [InlineData(5, 7200)]
    public void BacksOffTenSecondsOneMinuteFiveMinutesHalfAnHourTwoHours(int failedAttempt, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookRetrySchedule.DelayAfter(failedAttempt));

    [Fact]
    public void GivesUpAfterTheSixthAttempt()
    {
        Assert.Equal(6, WebhookRetrySchedule.MaxAttempts);
        Assert.Null(WebhookRetrySchedule.DelayAfter(6));
        Assert.Null(WebhookRetrySchedule.DelayAfter(100));
    }

    [Fact]
    public void AttemptNumbersStartAtOne() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => WebhookRetrySchedule.DelayAfter(0));
}
