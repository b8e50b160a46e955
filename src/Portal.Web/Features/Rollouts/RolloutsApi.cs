using System.Security.Claims;
using Portal.Application;
using Portal.Application.Rollouts;
using Portal.Domain.Audit;
using Portal.Domain.Rollouts;
using Portal.Domain.Security;
using Portal.Domain.Text;
using Portal.Web.Infrastructure;
using Portal.Web.Security;

namespace Portal.Web.Features.Rollouts;

/// <summary>A manager's reason for pausing, aborting or rolling back a rollout.</summary>
public sealed record RolloutReasonRequest(string? Reason);

/// <summary>
/// A model's rollout policy; omitted fields take the default policy's values; <c>clear: true</c> removes the policy (approved
/// challengers then promote at once). Durations in seconds.
/// </summary>
public sealed record RolloutPolicyRequest(
    int[]? Steps,
    int? MinimumSamplesPerArm,
    double? MinimumStepSeconds,
    double? MaximumStepSeconds,
    double? TaskMetricMargin,
    double? ErrorRateMargin,
    double? Confidence,
    bool? Clear);

/// <summary>
/// Staged rollouts over HTTP: list and read them (with each step's verdict and the current step's figures per arm), pause,
/// resume, abort and roll back by hand, and set a model's rollout policy. Who may is the use case's and the domain's
/// (<see cref="RolloutControl"/>); refusals are problems: 403 role, 404 unknown, 409 state, 400 input.
/// </summary>
internal static class RolloutsApi
{
    private const double MaxDurationSeconds = 90 * 24 * 3600;

    public static RouteGroupBuilder MapRolloutsApi(this RouteGroupBuilder api)
    {
        var rollouts = api.MapGroup("/rollouts").WithTags("Rollouts");
        rollouts.MapGet("/", async (string? model, string? state, int? page, int? pageSize, RolloutQueries queries, CancellationToken ct) =>
            {
                RolloutState? wanted = null;
                if (!string.IsNullOrEmpty(state))
                {
                    if (!Enum.TryParse<RolloutState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed) || int.TryParse(state, out _))
                    {
                        return Invalid($"state is one of {string.Join(", ", Enum.GetNames<RolloutState>())}.");
                    }

                    wanted = parsed;
                }

                var size = Math.Clamp(pageSize ?? 25, 1, 200);
                var number = Math.Clamp(page ?? 0, 0, 100_000);
                var (items, total) = await queries.ListAsync(model, wanted, number, size, ct);
                return Results.Ok(new { items = items.Select(SummaryShape), total, page = number, pageSize = size });
            })
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("ListRollouts")
            .WithSummary("Lists staged rollouts, newest first, by model name and state (Running, Paused, Completed, RolledBack, Aborted), paged.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest);

        rollouts.MapGet("/{id:guid}", async (Guid id, RolloutQueries queries, CancellationToken ct) =>
                await queries.GetAsync(new RolloutId(id), ct) is { } details ? Results.Ok(DetailsShape(details)) : NoRollout(id))
            .RequireAuthorization(Policies.ReadRegistry)
            .WithName("GetRollout")
            .WithSummary("One rollout: its policy, the verdict of every closed step (test, figures, who), and while active the current step's per-arm figures with confidence bands and the analysis so far.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status404NotFound);

        MapControl(rollouts, "pause", "PauseRollout", "Holds a running rollout at its step (the canary keeps its share; nothing is analysed) with a reason.",
            (control, id, reason, actor, roles, ct) => control.PauseAsync(id, reason, actor, roles, ct));
        MapControl(rollouts, "resume", "ResumeRollout", "Resumes a paused rollout at its step; the step's window starts again.",
            (control, id, _, actor, roles, ct) => control.ResumeAsync(id, actor, roles, ct), reasonRequired: false);
        MapControl(rollouts, "abort", "AbortRollout", "Stops an active rollout without a verdict on the canary, with a reason: all traffic returns to the champion.",
            (control, id, reason, actor, roles, ct) => control.AbortAsync(id, reason, actor, roles, ct));
        MapControl(rollouts, "rollback", "RollBackRollout", "Rolls an active rollout back by hand, with a reason: all traffic returns to the champion. Refused after completion (the old champion is archived).",
            (control, id, reason, actor, roles, ct) => control.RollBackAsync(id, reason, actor, roles, ct));

        api.MapPut("/models/{name}/rollout-policy", async (string name, RolloutPolicyRequest request, ClaimsPrincipal user, RolloutQueries queries, RolloutControl control,
                CancellationToken ct) =>
            {
                RolloutPolicy? policy = null;
                if (request.Clear is not true)
                {
                    if (PolicyFrom(request, out var problem) is not { } built)
                    {
                        return Invalid(problem!);
                    }

                    policy = built;
                }

                if (await queries.ModelIdAsync(name, ct) is not { } modelId)
                {
                    return Results.Problem($"No model named {name}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");
                }

                var set = await control.SetPolicyAsync(modelId, policy, user.ToAuditActor(), user.RoleNames(), ct);
                return set.ToHttpResult(p => Results.Ok(new { name, policy = p is null ? null : PolicyShape(p) }));
            })
            .RequireAuthorization(Policies.ManageRollouts)
            .WithTags("Rollouts")
            .WithName("SetModelRolloutPolicy")
            .WithSummary("Sets how the model's approved challengers reach Production: canary steps in percent (increasing, ending at 100), minimum labelled samples per arm, minimum and maximum step duration in seconds, margins on the task metric and error rate, confidence; omitted fields take the defaults; clear: true removes the policy. Business managers and administrators.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private delegate Task<OperationResult<Rollout>> Control(RolloutControl control, RolloutId id, string reason, AuditActor actor,
        IReadOnlyCollection<string> roles, CancellationToken ct);

    private static void MapControl(RouteGroupBuilder rollouts, string verb, string name, string summary, Control act, bool reasonRequired = true) =>
        rollouts.MapPost($"/{{id:guid}}/{verb}", async (Guid id, RolloutReasonRequest request, ClaimsPrincipal user, RolloutControl control, RolloutQueries queries,
                CancellationToken ct) =>
            {
                if (reasonRequired && string.IsNullOrWhiteSpace(request.Reason))
                {
                    return Invalid($"reason is required: say why you {verb} this rollout.");
                }

                if (TextRule.FreeTextProblem("reason", request.Reason, Rollout.MaxTextLength / 2) is { } problem)
                {
                    return Invalid(problem);
                }

                var result = await act(control, new RolloutId(id), request.Reason ?? "", user.ToAuditActor(), user.RoleNames(), ct);
                if (!result.Succeeded)
                {
                    return result.ToHttpResult();
                }

                return await queries.GetAsync(new RolloutId(id), ct) is { } details ? Results.Ok(DetailsShape(details)) : NoRollout(id);
            })
            .RequireAuthorization(Policies.ManageRollouts)
            .WithName(name)
            .WithSummary(summary + " Business managers and administrators.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);

    private static RolloutPolicy? PolicyFrom(RolloutPolicyRequest request, out string? problem)
    {
        var defaults = RolloutPolicy.Default;
        foreach (var (field, seconds) in new[] { ("minimumStepSeconds", request.MinimumStepSeconds), ("maximumStepSeconds", request.MaximumStepSeconds) })
        {
            if (seconds is { } s && (!double.IsFinite(s) || s < 0 || s > MaxDurationSeconds))
            {
                problem = $"{field} is between 0 and {MaxDurationSeconds:0} (90 days).";
                return null;
            }
        }

        var policy = new RolloutPolicy(
            request.Steps ?? [.. defaults.Steps],
            request.MinimumSamplesPerArm ?? defaults.MinimumSamplesPerArm,
            request.MinimumStepSeconds is { } min ? TimeSpan.FromSeconds(min) : defaults.MinimumStepDuration,
            request.MaximumStepSeconds is { } max ? TimeSpan.FromSeconds(max) : defaults.MaximumStepDuration,
            request.TaskMetricMargin ?? defaults.TaskMetricMargin,
            request.ErrorRateMargin ?? defaults.ErrorRateMargin,
            request.Confidence ?? defaults.Confidence);
        problem = policy.Problem();
        return problem is null ? policy : null;
    }

    private static object SummaryShape(RolloutSummary s) => new
    {
        id = s.Id,
        model = s.Model,
        baselineVersion = s.BaselineVersion,
        canaryVersion = s.CanaryVersion,
        state = s.State.ToString(),
        step = s.StepIndex + 1,
        steps = s.Steps,
        canaryPercent = s.CanaryPercent,
        startedUtc = s.StartedUtc,
        endedUtc = s.EndedUtc,
        reason = s.Reason,
    };

    private static object DetailsShape(RolloutDetails d) => new
    {
        rollout = SummaryShape(d.Summary),
        policy = PolicyShape(d.Rollout.Policy),
        requestId = d.Rollout.Transition.RequestId,
        stepStartedUtc = d.Rollout.StepStartedUtc,
        verdicts = d.Rollout.Verdicts.Select(v => new
        {
            step = v.StepIndex + 1,
            canaryPercent = v.CanaryPercent,
            windowFromUtc = v.WindowFromUtc,
            decidedUtc = v.DecidedUtc,
            passed = v.Passed,
            summary = v.Summary,
            decidedBy = v.DecidedBy,
            champion = v.Champion,
            canary = v.Canary,
        }),
        current = d.Current is { } c ? new { outcome = c.Outcome.ToString(), summary = c.Summary, champion = c.Champion, canary = c.Canary } : null,
    };

    private static object PolicyShape(RolloutPolicy p) => new
    {
        steps = p.Steps,
        minimumSamplesPerArm = p.MinimumSamplesPerArm,
        minimumStepSeconds = p.MinimumStepDuration.TotalSeconds,
        maximumStepSeconds = p.MaximumStepDuration.TotalSeconds,
        taskMetricMargin = p.TaskMetricMargin,
        errorRateMargin = p.ErrorRateMargin,
        confidence = p.Confidence,
        description = p.Describe(),
    };

    private static IResult NoRollout(Guid id) => Results.Problem($"No rollout {id}.", statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static IResult Invalid(string message) => Results.Problem(message, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
}
