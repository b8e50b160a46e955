using System.Security.Claims;
using Portal.Domain.Security;

namespace Portal.Web.Features.Account;

internal static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder endpoints)
    {
        // A form post from the layout. Binding the form is what makes minimal APIs enforce the antiforgery token.
        endpoints.MapPost("/Account/Logout", async (ClaimsPrincipal user, SignInService signIn, HttpContext context, IFormCollection form) =>
            {
                await signIn.SignOutAsync(user, context.RequestAborted);
                return TypedResults.LocalRedirect("~/Account/Login");
            })
            .RequireAuthorization(Policies.SignedIn);
        return endpoints;
    }
}
