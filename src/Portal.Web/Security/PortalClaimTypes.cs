namespace Portal.Web.Security;

public static class PortalClaimTypes
{
    /// <summary>Present (value <c>token</c>) when the request was authenticated with a personal API token.</summary>
    public const string AuthenticatedWith = "portal:auth";

    public const string Scope = "scope";

    public const string TokenId = "portal:token";

    public const string TokenAuthentication = "token";
}
