using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Portal.Web.Features.Tokens;

namespace Portal.Web.Security;

/// <summary>
/// <c>Authorization: Bearer ptl_...</c>. The principal carries the user's <em>current</em> roles (so a token
/// never exceeds them) plus the token's scopes.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    TokenService tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    private string? failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var secret = PresentedToken(Request);
        if (secret is null)
        {
            return AuthenticateResult.NoResult();
        }

        var outcome = await tokens.AuthenticateAsync(secret, Context.RequestAborted);
        if (!outcome.Succeeded)
        {
            failure = outcome.Error;
            return AuthenticateResult.Fail(outcome.Error!);
        }

        var (principal, token) = outcome.Value!;
        // TokenService built the owner's identity (current roles); add what this request was authenticated with.
        var identity = (ClaimsIdentity)principal.Identity!;
        identity.AddClaim(new Claim(PortalClaimTypes.AuthenticatedWith, PortalClaimTypes.TokenAuthentication));
        identity.AddClaim(new Claim(PortalClaimTypes.TokenId, token.Id.ToString()));
        foreach (var scope in token.ScopeList)
        {
            identity.AddClaim(new Claim(PortalClaimTypes.Scope, scope));
        }

        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>The token a request presents: <c>Authorization: Bearer</c>, or on a hub path the <c>access_token</c> query parameter.</summary>
    public static string? PresentedToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        return request.Path.StartsWithSegments(ApiPaths.Hubs) && request.Query["access_token"].ToString() is { Length: > 0 } query ? query : null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var detail = failure ?? "Send a valid personal API token as 'Authorization: Bearer <token>'.";
        Response.Headers.WWWAuthenticate = failure is null
            ? "Bearer"
            : $"Bearer error=\"invalid_token\", error_description=\"{failure.Replace("\"", "'")}\"";
        await Results.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized").ExecuteAsync(Context);
    }
}
