using System.Security.Claims;
using Portal.Application.Runs;
using Portal.Data.Artifacts;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Runs.Queries;
using Portal.Web.Features.Runs.Submission;
using Portal.Web.Features.Runs.Tracking;

namespace Portal.Web.Features.Runs;

internal static class RunsApi
{
    public static RouteGroupBuilder MapRunsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/runs").WithTags("Runs");

        group.MapPost("/", async (SubmitRunRequest request, ClaimsPrincipal user, RunSubmission submission, ExternalRunTracking tracking, CancellationToken ct) =>
            {
                if (request.ShapeProblem() is { } problem)
                {
                    return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
                }

                var submitted = request.IsExternal
                    ? await tracking.StartAsync(request.ToStartExternalRun(), user.ToAuditActor(), ct)
                    : await submission.SubmitAsync(request.ToSubmitRun(), user.ToAuditActor(), ct);
                return submitted.ToHttpResult(id => Results.Accepted($"/api/runs/{id}", new { runId = id }));
            })
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Submits a training run (202 with its id), or with mode 'external' opens a run to log into.");

        group.MapGet("/", async (Guid? experimentId, RunStatus? status, string? trainer, string? submittedBy, double? metricMin, double? metricMax,
                string? sortBy, bool? descending, int? page, int? pageSize, Guid? datasetId, string? metric, RunQueries runs, CancellationToken ct) =>
            {
                var query = new RunQuery(experimentId is { } experiment ? new ExperimentId(experiment) : null, status, trainer, submittedBy, metricMin, metricMax, sortBy ?? "submitted",
                    descending ?? true, page ?? 0, pageSize ?? 25, datasetId is { } dataset ? new DatasetId(dataset) : null, string.IsNullOrWhiteSpace(metric) ? null : metric.Trim());
                return query.Problem() is { } problem
                    ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest)
                    : Results.Ok(await runs.ListAsync(query, ct));
            })
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Lists runs, paged, sorted (submitted, metric, trainer, status) and filtered (experiment, dataset, status, trainer, submitter, primary metric and its range).");

        group.MapGet("/{id:guid}/model", async (Guid id, RunQueries runs, ContentAddressedStore store, CancellationToken ct) =>
                await runs.ModelAsync(new RunId(id), ct) is { } model && store.Exists(model.Sha256)
                    ? Results.File(store.GetPath(model.Sha256), "application/zip", $"{model.Trainer}-{id:N}.zip")
                    : Results.Problem("No model to download: the run does not exist, has not succeeded, or stored no model.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("The trained model of a succeeded run (the ML.NET zip: featurization and model), to load with MLContext.Model.Load.");

        group.MapGet("/{id:guid}", async (Guid id, RunQueries runs, CancellationToken ct) =>
                await runs.GetAsync(new RunId(id), ct) is { } run ? Results.Ok(run) : Results.Problem("No such run.", statusCode: StatusCodes.Status404NotFound))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("A run: status, latest metrics (ML.NET names), params, tags, diagnostics, failure reason.");

        group.MapGet("/{id:guid}/metrics", async (Guid id, string? keys, RunQueries runs, CancellationToken ct) =>
            {
                var curves = await runs.CurvesAsync(new RunId(id), keys?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), ct);
                // An unknown run has no curves either: only then is it worth asking whether the run exists.
                return curves.Count == 0 && await runs.GetAsync(new RunId(id), ct) is null
                    ? Results.Problem("No such run.", statusCode: StatusCodes.Status404NotFound, title: "Not found")
                    : Results.Ok(curves);
            })
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Metric histories (curves) by key, ordered by step.");

        group.MapPost("/{id:guid}/cancel", async (Guid id, ClaimsPrincipal user, RunCancellation cancellation, RunQueries runs, CancellationToken ct) =>
                await RunOrProblemAsync(new RunId(id), await cancellation.CancelAsync(new RunId(id), user.ToAuditActor(), user.RoleNames(), ct), runs, ct))
            .RequireAuthorization(Policies.CancelRuns)
            .WithSummary("Cancels a queued run at once, or asks its worker to stop a running one: its submitter, or an Administrator.");

        group.MapExternalTrackingApi();
        return api;
    }

    /// <summary>The run as it now stands when the use case succeeded, else its refusal.</summary>
    internal static async Task<IResult> RunOrProblemAsync<T>(RunId id, OperationResult<T> result, RunQueries queries, CancellationToken ct) =>
        result.Succeeded ? Results.Ok(await queries.GetAsync(id, ct)) : result.ToHttpResult();
}
