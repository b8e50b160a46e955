using System.Security.Claims;
using Portal.Domain.Security;
using Portal.Web.Security;

namespace Portal.Web.Features.Account;

internal static class MeApi
{
    public static RouteGroupBuilder MapMeApi(this RouteGroupBuilder api)
    {
        api.MapGet("/me", (ClaimsPrincipal user) => new
            {
                id = user.UserId(),
                email = user.UserName(),
                roles = user.RoleNames(),
                authenticatedWith = user.HasClaim(PortalClaimTypes.AuthenticatedWith, PortalClaimTypes.TokenAuthentication) ? "token" : "cookie",
                scopes = user.FindAll(PortalClaimTypes.Scope).Select(c => c.Value).ToList(),
            })
            .WithTags("Account")
            .RequireAuthorization(Policies.SignedIn)
            .WithSummary("Who the caller is: roles, and the token's scopes when called with a token.");
        return api;
    }
}
