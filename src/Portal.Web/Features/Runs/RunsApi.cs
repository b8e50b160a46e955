using System.Security.Claims;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Datasets;

namespace Portal.Web.Features.Runs;

internal static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/runs").WithTags("Runs");

        group.MapPost("/", async (SubmitRunRequest request, ClaimsPrincipal user, RunService runs, CancellationToken ct) =>
                (await runs.SubmitAsync(request, user, ct)).ToHttpResult(id => Results.Accepted($"/api/runs/{id}", new { runId = id })))
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Submits a training run (202 with its id), or with mode 'external' opens a run to log into.");

        group.MapGet("/", async (Guid? experimentId, RunStatus? status, string? trainer, string? submittedBy, double? metricMin, double? metricMax,
                string? sortBy, bool? descending, int? page, int? pageSize, RunService runs, CancellationToken ct) =>
            {
                var query = new RunQuery(experimentId, status, trainer, submittedBy, metricMin, metricMax, sortBy ?? "submitted",
                    descending ?? true, page ?? 0, pageSize ?? 25);
                return query.Problem() is { } problem
                    ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
                    : Results.Ok(await runs.ListAsync(query, ct));
            })
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Lists runs, paged, sorted (submitted, metric, trainer, status) and filtered.");

        group.MapGet("/{id:guid}", async (Guid id, RunService runs, CancellationToken ct) =>
                await runs.GetAsync(id, ct) is { } run ? Results.Ok(run) : Results.Problem("No such run.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("A run: status, latest metrics (ML.NET names), params, tags, diagnostics, failure reason.");

        group.MapGet("/{id:guid}/metrics", async (Guid id, string? keys, RunService runs, CancellationToken ct) =>
                await runs.CurvesAsync(id, keys?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), ct))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Metric histories (curves) by key, ordered by step.");

        group.MapPost("/{id:guid}/cancel", async (Guid id, ClaimsPrincipal user, RunService runs, CancellationToken ct) =>
                (await runs.CancelAsync(id, user, ct)).ToHttpResult())
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Cancels a queued run at once, or asks its worker to stop a running one.");

        group.MapPost("/{id:guid}/log-batch", async (Guid id, LogBatchRequest batch, ClaimsPrincipal user, RunService runs, CancellationToken ct) =>
                (await runs.LogBatchAsync(id, batch, user, ct)).ToHttpResult(count => Results.Ok(new { logged = count })))
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Logs metrics, params and tags to an external run (at most 1000 metrics, 100 params, 100 tags).");

        group.MapPost("/{id:guid}/artifact", async (Guid id, HttpRequest request, ClaimsPrincipal user, RunService runs, DatasetService datasets, CancellationToken ct) =>
                (await runs.UploadModelAsync(id, request.Body, user, datasets.MaxUploadBytes, ct)).ToHttpResult())
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Uploads the model file of an external run (request body, e.g. an ML.NET zip).");

        group.MapPost("/{id:guid}/end", async (Guid id, EndRunRequest request, ClaimsPrincipal user, RunService runs, CancellationToken ct) =>
                (await runs.EndAsync(id, request, user, ct)).ToHttpResult())
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Ends an external run: Succeeded, Failed (with a reason) or Cancelled.");

        return api;
    }
}
