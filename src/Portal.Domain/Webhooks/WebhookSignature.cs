using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain.Webhooks;

/// <summary>
/// Signs a webhook body and checks such a signature. The header is
/// <c>Portal-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256(secret, "&lt;t&gt;.&lt;raw body&gt;")&gt;</c>; the key is
/// the subscription's secret as shown at creation (its UTF-8 bytes). The timestamp is inside the MAC, so a captured
/// request cannot be replayed later with a new time; receivers refuse timestamps more than <see cref="DefaultTolerance"/> away.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "Portal-Signature";
    public const string EventHeader = "Portal-Event";
    public const string DeliveryHeader = "Portal-Delivery";

    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The hex HMAC-SHA256 of "<paramref name="timestamp"/>." followed by the raw body bytes.</summary>
    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + "."));
        hmac.AppendData(body);
        return Convert.ToHexStringLower(hmac.GetHashAndReset());
    }

    /// <summary>The value of the <see cref="SignatureHeader"/> for <paramref name="body"/> sent at <paramref name="now"/>.</summary>
    public static string Header(string secret, DateTimeOffset now, ReadOnlySpan<byte> body)
    {
        var timestamp = now.ToUnixTimeSeconds();
        return $"t={timestamp.ToString(CultureInfo.InvariantCulture)},v1={Compute(secret, timestamp, body)}";
    }

    public static string Header(string secret, DateTimeOffset now, string body) => Header(secret, now, Encoding.UTF8.GetBytes(body));

    public static WebhookVerification Verify(string secret, string? header, string body, DateTimeOffset now, TimeSpan? tolerance = null) =>
        Verify(secret, header, Encoding.UTF8.GetBytes(body), now, tolerance);

    /// <summary>
    /// Whether <paramref name="header"/> is a valid signature of the raw <paramref name="body"/> with
    /// <paramref name="secret"/>, made within <paramref name="tolerance"/> (default 5 minutes) of <paramref name="now"/>.
    /// Any <c>v1</c> entry may match (room for a second secret during a rotation); the comparison takes constant time.
    /// </summary>
    public static WebhookVerification Verify(string secret, string? header, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan? tolerance = null)
    {
        if (string.IsNullOrEmpty(secret))
        {
            return WebhookVerification.Fail("No secret to verify with.");
        }

        if (string.IsNullOrWhiteSpace(header))
        {
            return WebhookVerification.Fail($"The {SignatureHeader} header is missing.");
        }

        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals];
            var value = part[(equals + 1)..];
            if (key == "t" && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var t))
            {
                timestamp = t;
            }
            else if (key == "v1" && value.Length == 64 && TryHex(value, out var bytes))
            {
                signatures.Add(bytes);
            }
        }

        if (timestamp is null)
        {
            return WebhookVerification.Fail($"The {SignatureHeader} header has no timestamp (t=<unix seconds>).");
        }

        if (signatures.Count == 0)
        {
            return WebhookVerification.Fail($"The {SignatureHeader} header has no v1 signature.");
        }

        var allowed = tolerance ?? DefaultTolerance;
        var age = now.ToUnixTimeSeconds() - timestamp.Value;
        if (Math.Abs((double)age) > allowed.TotalSeconds)
        {
            return WebhookVerification.Fail(age > 0
                ? $"The signature is {age} s old; at most {allowed.TotalSeconds:0} s are accepted (a replay?)."
                : $"The signature's timestamp is {-age} s in the future; at most {allowed.TotalSeconds:0} s of clock skew are accepted.");
        }

        var expected = Convert.FromHexString(Compute(secret, timestamp.Value, body));
        foreach (var signature in signatures)
        {
            if (CryptographicOperations.FixedTimeEquals(expected, signature))
            {
                return WebhookVerification.Valid;
            }
        }

        return WebhookVerification.Fail("The signature does not match the body (wrong secret, or the body was changed).");
    }

    private static bool TryHex(string value, out byte[] bytes)
    {
        try
        {
            bytes = Convert.FromHexString(value);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
