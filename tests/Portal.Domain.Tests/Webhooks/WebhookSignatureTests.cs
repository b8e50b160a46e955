using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Webhooks;

namespace Portal.Domain.Tests.Webhooks;

public sealed class WebhookSignatureTests
{
    private const string Secret = "whsec_test-secret";
    private const string Body = """{"id":"0193","type":"promotion.approved","data":{"model":"churn","version":3}}""";
    private static readonly DateTimeOffset SentAt = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void HeaderCarriesTheTimestampAndTheHmacOfTimestampDotBody()
    {
        var header = WebhookSignature.Header(Secret, SentAt, Body);

        var t = SentAt.ToUnixTimeSeconds();
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes($"{t}.{Body}")));
        Assert.Equal($"t={t},v1={expected}", header);
    }

    [Fact]
    public void SignatureRoundTripsWithinTheTolerance()
    {
        var header = WebhookSignature.Header(Secret, SentAt, Body);

        Assert.True(WebhookSignature.Verify(Secret, header, Body, SentAt).IsValid);
        Assert.True(WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(4)).IsValid);
    }

    [Fact]
    public void TamperedBodyFailsVerification()
    {
        var header = WebhookSignature.Header(Secret, SentAt, Body);

        var result = WebhookSignature.Verify(Secret, header, Body.Replace("3", "4", StringComparison.Ordinal), SentAt);

        Assert.False(result.IsValid);
        Assert.Contains("does not match", result.Reason);
    }

    [Fact]
    public void WrongSecretFailsVerification() =>
        Assert.False(WebhookSignature.Verify("whsec_other", WebhookSignature.Header(Secret, SentAt, Body), Body, SentAt).IsValid);

    [Fact]
    public void SignatureOlderThanFiveMinutesIsRefusedAsAReplay()
    {
        var header = WebhookSignature.Header(Secret, SentAt, Body);

        var result = WebhookSignature.Verify(Secret, header, Body, SentAt.AddMinutes(5).AddSeconds(1));

        Assert.False(result.IsValid);
        Assert.Contains("301 s old", result.Reason);
    }

    [Fact]
    public void ReplayWithAFreshTimestampButTheOldMacFails()
    {
        var old = WebhookSignature.Header(Secret, SentAt, Body);
        var mac = old[(old.IndexOf("v1=", StringComparison.Ordinal) + 3)..];
        var later = SentAt.AddHours(1);

        var result = WebhookSignature.Verify(Secret, $"t={later.ToUnixTimeSeconds()},v1={mac}", Body, later);

        Assert.False(result.IsValid);
    }

    [Fact]
    public void TimestampFarInTheFutureIsRefused() =>
        Assert.Contains("in the future", WebhookSignature.Verify(Secret, WebhookSignature.Header(Secret, SentAt.AddMinutes(10), Body), Body, SentAt).Reason);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("v1=abc")]
    [InlineData("t=1764666000")]
    [InlineData("t=abc,v1=00")]
    [InlineData("t=1764666000,v1=zz")]
    public void MalformedHeadersAreRefusedWithAReason(string? header)
    {
        var result = WebhookSignature.Verify(Secret, header, Body, SentAt);

        Assert.False(result.IsValid);
        Assert.False(string.IsNullOrEmpty(result.Reason));
    }

    [Fact]
    public void AnyOfSeveralV1SignaturesMayMatch()
    {
        var good = WebhookSignature.Header(Secret, SentAt, Body);
        var header = $"t={SentAt.ToUnixTimeSeconds()},v1={new string('0', 64)},{good[(good.IndexOf(',') + 1)..]}";

        Assert.True(WebhookSignature.Verify(Secret, header, Body, SentAt).IsValid);
    }
}
