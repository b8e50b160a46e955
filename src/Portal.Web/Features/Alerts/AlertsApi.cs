using System.Security.Claims;
using Portal.Application;
using Portal.Application.Monitoring;
using Portal.Domain.Monitoring;
using Portal.Domain.Security;
using Portal.Domain.Text;
using Portal.Web.Infrastructure;
using Portal.Web.Security;

namespace Portal.Web.Features.Alerts;

/// <summary>A comment on an alert: required to acknowledge it (what is being done), optional to resolve it.</summary>
public sealed record AlertCommentRequest(string? Comment);

/// <summary>
/// Monitoring alerts over HTTP: list them (newest first, by status, model, rule, severity and text, paged), read one, acknowledge
/// one with a comment, resolve one. Each alert links to the window and feature that raised it and to its model's dashboard there.
/// Who may is the use case's and the domain's (<see cref="AlertHandling"/>): 403 role, 404 unknown, 409 state, 400 input.
/// </summary>
internal static class AlertsApi
{
    private const int MaxCommentLength = MonitoringAlert.MaxTextLength;

    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("/", async (string? status, string? model, string? rule, string? severity, string? search, int? page, int? pageSize, AlertQueries queries,
                CancellationToken ct) =>
            {
                if (!TryParse<AlertStatusFilter>(status, "status", out var wantedStatus, out var problem)
                    || !TryParse<AlertRule>(rule, "rule", out var wantedRule, out problem)
                    || !TryParse<AlertSeverity>(severity, "severity", out var wantedSeverity, out problem))
                {
                    return Invalid(problem!);
                }

                if (search is { Length: > AlertQueries.MaxSearchLength })
                {
                    return Invalid($"search is at most {AlertQueries.MaxSearchLength} characters.");
                }

                var size = Math.Clamp(pageSize ?? 25, 1, 200);
                var number = Math.Clamp(page ?? 0, 0, 100_000);
                var (items, total) = await queries.ListAsync(new AlertFilter(wantedStatus, model, wantedRule, wantedSeverity, search), number, size, ct);
                return Results.Ok(new { items = items.Select(Shape), total, page = number, pageSize = size });
            })
            .RequireAuthorization(Policies.ReadMonitoring)
            .WithName("ListAlerts")
            .WithSummary("Lists monitoring alerts, newest first: status (open, acknowledged, resolved, or active = open or acknowledged), model name, rule (AccuracyDrop, Drift, DataQuality, SchemaViolation), severity (Info, Warning, Critical), search in message, feature and model; paged (page from 0, pageSize up to 200).")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        alerts.MapGet("/{id:guid}", async (Guid id, AlertQueries queries, CancellationToken ct) =>
                await queries.GetAsync(new MonitoringAlertId(id), ct) is { } row ? Results.Ok(Shape(row)) : NoAlert(id))
            .RequireAuthorization(Policies.ReadMonitoring)
            .WithName("GetAlert")
            .WithSummary("One monitoring alert: its rule, feature, severity, status, message, occurrences, who acknowledged or resolved it and why, the window that raised it and the dashboard link.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        alerts.MapPost("/{id:guid}/acknowledge", async (Guid id, AlertCommentRequest request, ClaimsPrincipal user, AlertHandling handling, AlertQueries queries,
                CancellationToken ct) =>
            {
                if (string.IsNullOrWhiteSpace(request.Comment))
                {
                    return Invalid("comment is required: say what is being done about the alert.");
                }

                return await HandleAsync(id, request, queries, ct,
                    () => handling.AcknowledgeAsync(new MonitoringAlertId(id), request.Comment, user.ToAuditActor(), user.RoleNames(), ct));
            })
            .RequireAuthorization(Policies.ManageAlerts)
            .WithName("AcknowledgeAlert")
            .WithSummary("Acknowledges an open alert with a comment (required: what is being done about it). Data scientists, business managers and administrators; audited, webhook alert.acknowledged.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

        alerts.MapPost("/{id:guid}/resolve", async (Guid id, AlertCommentRequest request, ClaimsPrincipal user, AlertHandling handling, AlertQueries queries,
                CancellationToken ct) =>
                await HandleAsync(id, request, queries, ct,
                    () => handling.ResolveAsync(new MonitoringAlertId(id), request.Comment, user.ToAuditActor(), user.RoleNames(), ct)))
            .RequireAuthorization(Policies.ManageAlerts)
            .WithName("ResolveAlert")
            .WithSummary("Resolves an open or acknowledged alert, with an optional comment. Data scientists, business managers and administrators; audited, webhook alert.resolved.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> HandleAsync(Guid id, AlertCommentRequest request, AlertQueries queries, CancellationToken ct,
        Func<Task<OperationResult<MonitoringAlert>>> act)
    {
        if (TextRule.FreeTextProblem("comment", request.Comment, MaxCommentLength) is { } problem)
        {
            return Invalid(problem);
        }

        var result = await act();
        if (!result.Succeeded)
        {
            return result.ToHttpResult();
        }

        return await queries.GetAsync(new MonitoringAlertId(id), ct) is { } row ? Results.Ok(Shape(row)) : NoAlert(id);
    }

    private static bool TryParse<T>(string? text, string field, out T? value, out string? problem)
        where T : struct, Enum
    {
        value = null;
        problem = null;
        if (string.IsNullOrEmpty(text))
        {
            return true;
        }

        if (int.TryParse(text, out _) || !Enum.TryParse<T>(text, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            problem = $"{field} is one of {string.Join(", ", Enum.GetNames<T>().Select(n => typeof(T) == typeof(AlertStatusFilter) ? n.ToLowerInvariant() : n))}.";
            return false;
        }

        value = parsed;
        return true;
    }

    /// <summary>An alert's JSON: the alert, the window and feature that raised it (or the rollout rolled back), and where to look at it.</summary>
    public static object Shape(AlertRow a) => new
    {
        id = a.Id,
        model = a.Model,
        version = a.VersionNumber,
        rule = a.Rule.ToString(),
        feature = a.Feature,
        severity = a.Severity.ToString(),
        status = a.Status.ToString(),
        message = a.Message,
        window = a.WindowId is null ? null : new { id = a.WindowId, startUtc = a.WindowStartUtc, endUtc = a.WindowEndUtc },
        lastWindowId = a.LastWindowId,
        rolloutId = a.RolloutId,
        raisedUtc = a.RaisedUtc,
        lastSeenUtc = a.LastSeenUtc,
        occurrences = a.Occurrences,
        acknowledged = a.AcknowledgedBy is null ? null : new { by = a.AcknowledgedBy, utc = a.AcknowledgedUtc, comment = a.AcknowledgeComment },
        resolved = a.ResolvedBy is null ? null : new { by = a.ResolvedBy, utc = a.ResolvedUtc, comment = a.ResolveComment },
        dashboardUrl = a.DashboardUrl,
    };

    private static IResult NoAlert(Guid id) => Results.Problem($"No alert {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
