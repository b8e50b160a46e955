using Microsoft.AspNetCore.Authorization;

namespace Portal.Web.Security;

/// <summary>
/// A capability's API scope. A person signed in with the browser holds every scope their roles allow; a
/// request made with an API token must also carry the scope in the token.
/// </summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        var user = context.User;
        var viaToken = user.HasClaim(PortalClaimTypes.AuthenticatedWith, PortalClaimTypes.TokenAuthentication);
        if (user.Identity?.IsAuthenticated == true && (!viaToken || user.HasClaim(PortalClaimTypes.Scope, requirement.Scope)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
