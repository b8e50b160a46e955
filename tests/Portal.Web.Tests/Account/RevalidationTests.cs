using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Account;
using Portal.Web.Features.Users;
using Portal.Web.Tests.Infrastructure;

namespace Portal.Web.Tests.Account;

/// <summary>An open tab's session is re-checked every 30 seconds; a role change or a lock must fail that check.</summary>
public sealed class RevalidationTests(PortalAppFactory factory) : IClassFixture<PortalAppFactory>
{
    [Fact]
    public async Task SessionStaysValidUntilRolesChangeThenFailsRevalidation()
    {
        var (principal, user) = await SignedInPrincipalAsync(Roles.DataProtectionOfficer);
        Assert.True(await IsValidAsync(principal));

        await factory.Services.GetRequiredService<UserAdministrationService>()
            .SetRolesAsync(user.Id, [Roles.DataScientist], AuditActor.Service("test"), CancellationToken.None);

        Assert.False(await IsValidAsync(principal));
    }

    [Fact]
    public async Task LockingAUserEndsTheirSession()
    {
        var (principal, user) = await SignedInPrincipalAsync(Roles.BusinessManager);

        await factory.Services.GetRequiredService<UserAdministrationService>()
            .LockAsync(user.Id, AuditActor.Service("test"), CancellationToken.None);

        Assert.False(await IsValidAsync(principal));
    }

    [Fact]
    public void OpenTabsAreRevalidatedWithinOneMinute()
    {
        var options = factory.Services.GetRequiredService<IOptions<SecurityOptions>>().Value;
        var stamp = factory.Services.GetRequiredService<IOptions<SecurityStampValidatorOptions>>().Value;

        Assert.InRange(options.RevalidationSeconds, 1, 60);
        Assert.True(stamp.ValidationInterval <= TimeSpan.FromMinutes(1));
    }

    private async Task<(ClaimsPrincipal, PortalUser)> SignedInPrincipalAsync(string role)
    {
        var email = $"reval-{Guid.NewGuid():N}@portal.local";
        var created = await factory.Services.GetRequiredService<UserAdministrationService>()
            .CreateAsync(new CreateUserRequest(email, null, "Long-enough-pass-1", [role]), AuditActor.Service("test"), CancellationToken.None);
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = (await users.FindByIdAsync(created.Value!.Id))!;
        var principal = await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<PortalUser>>().CreateAsync(user);
        return (principal, user);
    }

    private async Task<bool> IsValidAsync(ClaimsPrincipal principal)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await IdentityRevalidatingAuthenticationStateProvider.IsStillValidAsync(
            scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(), principal,
            scope.ServiceProvider.GetRequiredService<IOptions<IdentityOptions>>().Value);
    }
}
