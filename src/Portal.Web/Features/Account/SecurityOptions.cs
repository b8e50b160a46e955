using System.ComponentModel.DataAnnotations;

namespace Portal.Web.Features.Account;

/// <summary>Session settings (section <c>Security</c>). Password and lockout rules are fixed in code, not configurable.</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>How often an open browser tab re-checks its user's security stamp (roles removed, account locked).</summary>
    [Range(5, 60)]
    public int RevalidationSeconds { get; set; } = 30;

    /// <summary>Sign-in cookie lifetime, sliding.</summary>
    [Range(1, 72)]
    public int CookieHours { get; set; } = 8;

    /// <summary>Sign-in attempts one client (IP address; behind a known proxy, the forwarded one) may make per minute.</summary>
    [Range(1, 10_000)]
    public int SignInsPerClientPerMinute { get; set; } = 30;

    /// <summary>Sign-in attempts for one email address (known or not) per minute, from all clients together.</summary>
    [Range(1, 1_000)]
    public int SignInsPerAccountPerMinute { get; set; } = 10;

    /// <summary>
    /// How long one node remembers a successful API-token authentication, in milliseconds (0 = every request reads the
    /// database). A revocation, lock or role change takes effect at once on the node that made it, on other nodes within this.
    /// </summary>
    [Range(0, 10_000)]
    public int TokenCacheMilliseconds { get; set; } = 1000;
}
