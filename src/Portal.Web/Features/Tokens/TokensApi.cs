using System.Security.Claims;
using Portal.Domain.Security;

namespace Portal.Web.Features.Tokens;

internal static class TokensApi
{
    public static RouteGroupBuilder MapTokensApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/tokens").WithTags("Tokens");

        group.MapGet("/", async (ClaimsPrincipal user, TokenService tokens, TimeProvider time, CancellationToken ct) =>
                (await tokens.ListAsync(user.IsInRole(Roles.Administrator) ? null : user.UserId(), ct)).Select(t => new
                {
                    t.Id, t.Name, t.DisplayPrefix, t.Scopes, t.CreatedUtc, t.ExpiresUtc, t.RevokedUtc, t.LastUsedUtc,
                    state = t.State(time.GetUtcNow()),
                    owner = new { id = t.UserId, email = t.UserEmail },
                }))
            .RequireAuthorization(Policies.SignedIn)
            .WithSummary("Lists API tokens with their owners (never the secrets): the caller's own; an administrator's list holds everyone's.");

        group.MapDelete("/{id:guid}", async (Guid id, ClaimsPrincipal user, TokenService tokens, CancellationToken ct) =>
                (await tokens.RevokeAsync(id, user, ct)).ToHttpResult(_ => Results.NoContent()))
            .RequireAuthorization(Policies.ManageOwnTokens)
            .WithSummary("Revokes one of the caller's tokens (administrators: anyone's).");

        return api;
    }
}
