using System.Security.Claims;
using Portal.Application.Monitoring;
using Portal.Domain.Monitoring;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;
using Portal.Web.Security;

namespace Portal.Web.Features.Monitoring;

/// <summary>A model's monitoring thresholds; omitted fields take the default policy's values.</summary>
public sealed record MonitoringPolicyRequest(
    int? WindowMinutes,
    int? WindowRows,
    double? AccuracyDrop,
    int? MinimumLabels,
    double? PsiThreshold,
    double? PValueThreshold,
    int? StatisticalTestMaxRows,
    double? MissingRateThreshold,
    double? OutOfRangeRateThreshold,
    double? UnseenRateThreshold,
    double? SchemaViolationRateThreshold,
    int? CooldownMinutes);

/// <summary>A model's retraining policy; omitted fields take the default policy's values (scheduleHours: none).</summary>
public sealed record RetrainingPolicyRequest(bool? OnDrift, bool? OnAccuracyDrop, int? ScheduleHours, int? MinimumRows, double? MinimumHoursBetween);

/// <summary>
/// A model's monitoring thresholds and retraining policy over HTTP: PUT sets, DELETE resets the thresholds to the defaults or
/// removes the retraining policy. Who may and what is valid is the use case's and the domain's (<see cref="MonitoringPolicies"/>);
/// refusals are problems that say what to fix: 400 input, 403 role, 404 unknown model.
/// </summary>
internal static class MonitoringPoliciesApi
{
    public static RouteGroupBuilder MapMonitoringPoliciesApi(this RouteGroupBuilder api)
    {
        api.MapPut("/models/{name}/monitoring-policy", async (string name, MonitoringPolicyRequest request, ClaimsPrincipal user, MonitoringPolicies policies,
                CancellationToken ct) =>
            {
                var policy = From(request);
                if (policy.Problem() is { } problem)
                {
                    return Invalid(problem);
                }

                var set = await policies.SetMonitoringAsync(name, policy, user.ToAuditActor(), user.RoleNames(), ct);
                return set.ToHttpResult(p => Results.Ok(MonitoringShape(name, p)));
            })
            .RequireAuthorization(Policies.ManageMonitoring)
            .WithTags("Monitoring")
            .WithName("SetModelMonitoringPolicy")
            .WithSummary("Sets the model's monitoring thresholds: window length (minutes) and size (rows), accuracy drop, labels a window needs, PSI and p-value thresholds, the largest window judged by a statistical test, data-quality shares, the alert cool-down (minutes). Omitted fields take the defaults. Data scientists, business managers and administrators.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/models/{name}/monitoring-policy", async (string name, ClaimsPrincipal user, MonitoringPolicies policies, CancellationToken ct) =>
                (await policies.SetMonitoringAsync(name, null, user.ToAuditActor(), user.RoleNames(), ct)).ToHttpResult(p => Results.Ok(MonitoringShape(name, p))))
            .RequireAuthorization(Policies.ManageMonitoring)
            .WithTags("Monitoring")
            .WithName("ResetModelMonitoringPolicy")
            .WithSummary("Resets the model's monitoring thresholds to the defaults. Data scientists, business managers and administrators.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPut("/models/{name}/retraining-policy", async (string name, RetrainingPolicyRequest request, ClaimsPrincipal user, MonitoringPolicies policies,
                CancellationToken ct) =>
            {
                var policy = From(request);
                if (policy.Problem() is { } problem)
                {
                    return Invalid(problem);
                }

                var set = await policies.SetRetrainingAsync(name, policy, user.ToAuditActor(), user.RoleNames(), ct);
                return set.ToHttpResult(p => Results.Ok(RetrainingShape(name, p)));
            })
            .RequireAuthorization(Policies.ManageMonitoring)
            .WithTags("Monitoring")
            .WithName("SetModelRetrainingPolicy")
            .WithSummary("Sets when the worker retrains the model by itself: on a drift alert, on an accuracy alert, every scheduleHours; with at least minimumRows labelled rows of the prediction log and minimumHoursBetween two retrainings. A retrained version is only ever put forward for approval. Data scientists, business managers and administrators.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapDelete("/models/{name}/retraining-policy", async (string name, ClaimsPrincipal user, MonitoringPolicies policies, CancellationToken ct) =>
                (await policies.SetRetrainingAsync(name, null, user.ToAuditActor(), user.RoleNames(), ct)).ToHttpResult(p => Results.Ok(RetrainingShape(name, p))))
            .RequireAuthorization(Policies.ManageMonitoring)
            .WithTags("Monitoring")
            .WithName("ClearModelRetrainingPolicy")
            .WithSummary("Removes the model's retraining policy: the worker no longer retrains it by itself. Data scientists, business managers and administrators.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static MonitoringPolicy From(MonitoringPolicyRequest request)
    {
        var d = MonitoringPolicy.Default;
        return new MonitoringPolicy(
            request.WindowMinutes ?? d.WindowMinutes,
            request.WindowRows ?? d.WindowRows,
            request.AccuracyDrop ?? d.AccuracyDrop,
            request.MinimumLabels ?? d.MinimumLabels,
            request.PsiThreshold ?? d.PsiThreshold,
            request.PValueThreshold ?? d.PValueThreshold,
            request.StatisticalTestMaxRows ?? d.StatisticalTestMaxRows,
            request.MissingRateThreshold ?? d.MissingRateThreshold,
            request.OutOfRangeRateThreshold ?? d.OutOfRangeRateThreshold,
            request.UnseenRateThreshold ?? d.UnseenRateThreshold,
            request.SchemaViolationRateThreshold ?? d.SchemaViolationRateThreshold,
            request.CooldownMinutes ?? d.CooldownMinutes);
    }

    private static RetrainingPolicy From(RetrainingPolicyRequest request)
    {
        var d = RetrainingPolicy.Default;
        return new RetrainingPolicy(request.OnDrift ?? d.OnDrift, request.OnAccuracyDrop ?? d.OnAccuracyDrop, request.ScheduleHours ?? d.ScheduleHours,
            request.MinimumRows ?? d.MinimumRows, request.MinimumHoursBetween ?? d.MinimumHoursBetween);
    }

    private static object MonitoringShape(string name, MonitoringPolicy? policy) =>
        new { name, policy = policy ?? MonitoringPolicy.Default, isDefault = policy is null };

    private static object RetrainingShape(string name, RetrainingPolicy? policy) => new { name, policy };

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
