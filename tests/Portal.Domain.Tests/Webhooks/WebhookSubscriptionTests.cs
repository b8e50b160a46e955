using Portal.Domain.Webhooks;

namespace Portal.Domain.Tests.Webhooks;

public sealed class WebhookSubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("https://hooks.example.com/portal")]
    [InlineData("http://127.0.0.1:8080/hook?team=risk")]
    public void AcceptsAbsoluteHttpAndHttpsUrls(string url) => Assert.Null(WebhookSubscription.UrlProblem(url));

    [Theory]
    [InlineData("", "required")]
    [InlineData("/relative/hook", "absolute")]
    [InlineData("ftp://files.example.com/hook", "absolute http")]
    [InlineData("file:///etc/passwd", "absolute http")]
    [InlineData("javascript:alert(1)", "absolute http")]
    [InlineData("https://user:password@hooks.example.com/", "credentials")]
    [InlineData("https://hooks.example.com/#top", "fragment")]
    [InlineData("https://hooks.example.com/a b", "spaces")]
    public void RefusesUrlsThatAreNotPlainAbsoluteHttp(string url, string said) =>
        Assert.Contains(said, WebhookSubscription.UrlProblem(url));

    [Fact]
    public void RefusesOverlongUrls() =>
        Assert.Contains("at most 2048", WebhookSubscription.UrlProblem("https://hooks.example.com/" + new string('a', 2048)));

    [Fact]
    public void RefusesUnknownOrMissingEventTypes()
    {
        Assert.Contains("Choose the events", WebhookSubscription.EventTypesProblem([]));
        Assert.Contains("\"promotion.done\"", WebhookSubscription.EventTypesProblem(["promotion.approved", "promotion.done"]));
    }

    [Fact]
    public void CreatesWithA32ByteSecretShownOnce()
    {
        var (subscription, secret) = WebhookSubscription.Create(" releases ", "https://hooks.example.com/x", ["promotion.approved"], "u1", "admin@portal.local", Now);
        var (_, other) = WebhookSubscription.Create("other", "https://hooks.example.com/y", ["*"], "u1", "admin@portal.local", Now);

        Assert.StartsWith(WebhookSubscription.SecretPrefix, secret);
        Assert.Equal(32, Convert.FromBase64String(secret[WebhookSubscription.SecretPrefix.Length..].Replace('-', '+').Replace('_', '/') + "=").Length);
        Assert.NotEqual(secret, other);
        Assert.Equal("releases", subscription.Name);
        Assert.True(subscription.IsActive);
    }

    [Fact]
    public void WantsOnlyItsEventsWhileActive()
    {
        var (some, _) = WebhookSubscription.Create("some", "https://h.example.com/", ["promotion.rejected", "promotion.approved"], "u1", "a", Now);
        var (all, _) = WebhookSubscription.Create("all", "https://h.example.com/", ["*"], "u1", "a", Now);

        Assert.True(some.Wants(WebhookEventTypes.PromotionApproved));
        Assert.False(some.Wants(WebhookEventTypes.PromotionRequested));
        Assert.Equal(["promotion.approved", "promotion.rejected"], some.EventTypeList);
        Assert.True(all.Wants(WebhookEventTypes.ModelStageChanged));

        all.Deactivate(Now);
        Assert.False(all.Wants(WebhookEventTypes.ModelStageChanged));
        Assert.Throws<InvalidOperationException>(() => all.Deactivate(Now));
    }
}
