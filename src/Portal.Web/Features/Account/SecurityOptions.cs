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
}
