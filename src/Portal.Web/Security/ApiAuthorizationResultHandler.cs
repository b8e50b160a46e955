using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

using Portal.Web.Infrastructure;

namespace Portal.Web.Security;

/// <summary>For the REST API and the hubs, a refused request gets a problem body that says which role or scope is missing.</summary>
internal sealed class ApiAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler fallback = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && ApiPaths.IsApi(context))
        {
            var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
            var reasons = failed.Select(r => r switch
            {
                ScopeRequirement s => $"the token lacks the '{s.Scope}' scope",
                RolesAuthorizationRequirement roles => $"it needs one of the roles {string.Join(", ", roles.AllowedRoles)}",
                _ => r.ToString(),
            }).ToList();
            if (context.GetEndpoint()?.Metadata.GetMetadata<AuditRefusalMetadata>() is { } audited && context.User.Identity?.IsAuthenticated == true)
            {
                await context.RequestServices.GetRequiredService<Portal.Data.Audit.AuditTrail>().WriteAsync(context.User.ToAuditActor(), audited.Action,
                    new Portal.Domain.Audit.AuditSubject(audited.SubjectKind, context.Request.RouteValues[audited.RouteKey]?.ToString() ?? ""),
                    new { reason = "RoleRequired", message = string.Join("; ", reasons) }, context.RequestAborted);
            }

            await Results.Problem(
                    reasons.Count == 0 ? "You may not do this." : $"Refused: {string.Join("; ", reasons)}.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Forbidden")
                .ExecuteAsync(context);
            return;
        }

        await fallback.HandleAsync(next, context, policy, authorizeResult);
    }
}
