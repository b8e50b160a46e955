using System.Security.Claims;
using Portal.Domain.Security;

namespace Portal.Web.Features.Users;

internal static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users");

        group.MapGet("/", async (string? search, int? page, int? pageSize, UserAdministrationService users, CancellationToken ct) =>
            {
                var (p, size) = PagedResult<UserRow>.Normalize(page, pageSize);
                return await users.ListAsync(new UserQuery(search, p, size), ct);
            })
            .RequireAuthorization(Policies.ManageUsers)
            .WithSummary("Lists users with their roles, paged and searchable.");

        group.MapPost("/", async (CreateUserRequest request, ClaimsPrincipal user, UserAdministrationService users, CancellationToken ct) =>
                (await users.CreateAsync(request, user.ToAuditActor(), ct))
                .ToHttpResult(created => Results.Created($"/api/users/{created.Id}", created)))
            .RequireAuthorization(Policies.ManageUsersApi)
            .WithSummary("Creates a user with roles (Administrator, write scope).");

        return api;
    }
}
