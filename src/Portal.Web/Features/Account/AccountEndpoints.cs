using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Portal.Domain.Security;

namespace Portal.Web.Features.Account;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post; binding [FromForm] makes the antiforgery middleware check the token the layout renders.
        endpoints.MapPost("/Account/Logout", async (ClaimsPrincipal user, SignInService signIn, HttpContext context,
                [FromForm(Name = "returnUrl")] string? returnUrl) =>
            {
                await signIn.SignOutAsync(user, context.RequestAborted);
                return TypedResults.LocalRedirect("~/Account/Login");
            })
            .RequireAuthorization(Policies.SignedIn);
        return endpoints;
    }
}
