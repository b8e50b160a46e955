using System.Net;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Portal.Web.Features.Account;

/// <summary>
/// Sign-in rate limits, partitioned per client address and per account, on .NET's built-in rate limiters (sliding
/// windows of one minute). Consulted before any database, hashing or audit work, so a flood of attempts costs the
/// portal almost nothing and writes nothing. Per account because an attacker rotating addresses still aims at one
/// account; the account key is the normalised identifier, known or not.
/// </summary>
public sealed class SignInThrottle : IDisposable
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly PartitionedRateLimiter<SignInAttemptKey> limiter;

    public SignInThrottle(IOptions<SecurityOptions> options)
    {
        var security = options.Value;
        limiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<SignInAttemptKey, string>(attempt =>
                RateLimitPartition.GetSlidingWindowLimiter("client:" + attempt.Client, _ => Limit(security.SignInsPerClientPerMinute))),
            PartitionedRateLimiter.Create<SignInAttemptKey, string>(attempt =>
                RateLimitPartition.GetSlidingWindowLimiter("account:" + attempt.Account, _ => Limit(security.SignInsPerAccountPerMinute))));
    }

    /// <summary>Takes one attempt for this client and account; null when allowed, else how long to wait.</summary>
    public TimeSpan? TryAcquire(IPAddress? client, string normalisedAccount)
    {
        using var lease = limiter.AttemptAcquire(new SignInAttemptKey(client?.ToString() ?? "unknown", normalisedAccount));
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) && retryAfter > TimeSpan.Zero ? retryAfter : Window;
    }

    public void Dispose() => limiter.Dispose();

    private static SlidingWindowRateLimiterOptions Limit(int permits) => new()
    {
        PermitLimit = permits,
        Window = Window,
        SegmentsPerWindow = 6,
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private readonly record struct SignInAttemptKey(string Client, string Account);
}
