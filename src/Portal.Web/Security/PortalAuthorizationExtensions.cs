using Microsoft.AspNetCore.Authorization;
using Portal.Domain.Security;

namespace Portal.Web.Security;

public static class PortalAuthorizationExtensions
{
    /// <summary>Turns every capability of <see cref="AuthorizationMatrix"/> into a policy; anything else needs a signed-in user.</summary>
    public static IServiceCollection AddPortalAuthorization(this IServiceCollection services)
    {
        var builder = services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var capability in AuthorizationMatrix.Capabilities)
        {
            builder.AddPolicy(capability.Name, policy =>
            {
                policy.RequireAuthenticatedUser();
                if (!capability.AnyAuthenticatedUser)
                {
                    policy.RequireRole(capability.Roles);
                }

                policy.AddRequirements(new ScopeRequirement(capability.Scope));
            });
        }

        services.AddSingleton<IAuthorizationMiddlewareResultHandler, ApiAuthorizationResultHandler>();
        return services;
    }
}
