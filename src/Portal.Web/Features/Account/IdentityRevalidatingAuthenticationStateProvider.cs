using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;

namespace Portal.Web.Features.Account;

/// <summary>
/// Re-checks the security stamp of the user of an open circuit every <see cref="SecurityOptions.RevalidationSeconds"/>.
/// Changing roles or locking a user renews the stamp, so the open tab loses its session within that interval.
/// </summary>
internal sealed class IdentityRevalidatingAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopeFactory,
    IOptions<IdentityOptions> identityOptions,
    IOptions<SecurityOptions> securityOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromSeconds(securityOptions.Value.RevalidationSeconds);

    protected override async Task<bool> ValidateAuthenticationStateAsync(
        AuthenticationState authenticationState, CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await IsStillValidAsync(userManager, authenticationState.User, identityOptions.Value);
    }

    internal static async Task<bool> IsStillValidAsync(UserManager<PortalUser> userManager, ClaimsPrincipal principal, IdentityOptions options)
    {
        var user = await userManager.GetUserAsync(principal);
        if (user is null || await userManager.IsLockedOutAsync(user))
        {
            return false;
        }

        var principalStamp = principal.FindFirstValue(options.ClaimsIdentity.SecurityStampClaimType);
        var userStamp = await userManager.GetSecurityStampAsync(user);
        return principalStamp == userStamp;
    }
}
