using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Portal.Data.Identity;
using Portal.Domain.Audit;
using Portal.Domain.Security;
using Portal.Web.Features.Users;

namespace Portal.Web.Startup;

/// <summary>Creates the four roles everywhere and, in Development with demo data on, the demo accounts.</summary>
public sealed class IdentitySeeder(
    IServiceScopeFactory scopeFactory,
    UserAdministrationService users,
    IOptions<DemoOptions> demo,
    IHostEnvironment environment,
    ILogger<IdentitySeeder> logger)
{
    public static readonly IReadOnlyList<(string Email, string Name, string[] Roles)> DemoUsers =
    [
        ("scientist@portal.local", "Sam Scientist", [Roles.DataScientist]),
        ("scientist2@portal.local", "Sasha Scientist", [Roles.DataScientist]),
        ("manager@portal.local", "Morgan Manager", [Roles.BusinessManager]),
        ("manager2@portal.local", "Max Manager", [Roles.BusinessManager]),
        ("dpo@portal.local", "Dana Protection", [Roles.DataProtectionOfficer]),
        ("admin@portal.local", "Alex Admin", [Roles.Administrator]),
    ];

    public async Task EnsureRolesAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopeFactory.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();
        foreach (var role in Roles.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await roles.RoleExistsAsync(role))
            {
                var result = await roles.CreateAsync(new IdentityRole(role));
                // Another node may have created it at the same moment; that is fine.
                if (!result.Succeeded && !await roles.RoleExistsAsync(role))
                {
                    throw new InvalidOperationException($"Could not create role {role}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
                }
            }
        }
    }

    public async Task SeedDemoUsersAsync(CancellationToken cancellationToken)
    {
        if (!demo.Value.Enabled || !environment.IsDevelopment())
        {
            return;
        }

        await using var scope = scopeFactory.CreateAsyncScope();
        var userManager = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var actor = AuditActor.Service("demo-seeder");
        foreach (var (email, name, roles) in DemoUsers)
        {
            if (await userManager.FindByEmailAsync(email) is not null)
            {
                continue;
            }

            var result = await users.CreateAsync(new CreateUserRequest(email, name, demo.Value.Password, roles), actor, cancellationToken);
            if (!result.Succeeded && result.Status != OperationStatus.Conflict)
            {
                throw new InvalidOperationException($"Could not create demo user {email}: {result.Error}");
            }

            logger.LogInformation("Demo user {Email} created.", email);
        }
    }
}
