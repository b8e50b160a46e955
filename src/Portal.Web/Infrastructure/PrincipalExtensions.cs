using System.Security.Claims;
using Portal.Domain.Audit;

namespace Portal.Web.Infrastructure;

public static class PrincipalExtensions
{
    public static string UserId(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The principal is not a signed-in user.");

    public static string UserName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(ClaimTypes.Email) ?? principal.Identity?.Name ?? "";

    public static IReadOnlyList<string> RoleNames(this ClaimsPrincipal principal) =>
        principal.FindAll(ClaimTypes.Role).Select(c => c.Value).Distinct().ToList();

    public static AuditActor ToAuditActor(this ClaimsPrincipal principal) =>
        AuditActor.User(principal.UserId(), principal.UserName());
}
