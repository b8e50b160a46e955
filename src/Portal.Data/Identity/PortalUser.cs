using Microsoft.AspNetCore.Identity;

namespace Portal.Data.Identity;

/// <summary>A person who signs in to Portal (ASP.NET Core Identity user).</summary>
public sealed class PortalUser : IdentityUser
{
    public const int MaxDisplayNameLength = 100;

    public string DisplayName { get; set; } = "";

    public DateTime CreatedUtc { get; set; }
}
