using System.Security.Cryptography;
using System.Text;
using Portal.Domain.Webhooks;

namespace Portal.Domain.Tests.Webhooks;

/// <summary>The receiver's check printed in the README (copied here verbatim) accepts what Portal sends and refuses what it must.</summary>
public sealed class ReadmeReceiverSnippetTests
{
    private const string Secret = "whsec_readme";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"id":"1","type":"promotion.approved","data":{}}""");
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AcceptsPortalsSignature() =>
        Assert.True(IsFromPortal(Secret, WebhookSignature.Header(Secret, Now, Body), Body, Now.AddSeconds(30)));

    [Fact]
    public void RefusesAnOldTimestampATamperedBodyAndGarbage()
    {
        var header = WebhookSignature.Header(Secret, Now, Body);

        Assert.False(IsFromPortal(Secret, header, Body, Now.AddMinutes(6)));
        Assert.False(IsFromPortal(Secret, header, [.. Body, (byte)' '], Now));
        Assert.False(IsFromPortal(Secret, "t=1,v1=" + new string('x', 64), Body, Now));
        Assert.False(IsFromPortal(Secret, null, Body, Now));
    }

    // secret: the whsec_… value shown once when the webhook was created; body: the request's raw bytes
    static bool IsFromPortal(string secret, string? header, byte[] body, DateTimeOffset now)
    {
        var fields = (header ?? "").Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToLookup(p => p[0], p => p[1]);
        if (!long.TryParse(fields["t"].FirstOrDefault(), out var t) || Math.Abs(now.ToUnixTimeSeconds() - t) > 300)
        {
            return false; // no timestamp, or more than 5 minutes away: a replay
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes($"{t}."), .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return fields["v1"].Any(v => v.Length == 64 && v.All(Uri.IsHexDigit)
                                     && CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v)));
    }
}
