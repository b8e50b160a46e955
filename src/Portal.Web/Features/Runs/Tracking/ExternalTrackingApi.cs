using System.Security.Claims;
using Microsoft.Extensions.Options;
using Portal.Application.Runs;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Web.Features.Runs.Queries;

namespace Portal.Web.Features.Runs.Tracking;

/// <summary>The endpoints an externally tracked run's submitter logs through: log-batch, artifact, end (anyone else: 403, <see cref="Portal.Domain.Runs.RunOwnership"/>).</summary>
internal static class ExternalTrackingApi
{
    public static RouteGroupBuilder MapExternalTrackingApi(this RouteGroupBuilder runs)
    {
        runs.MapPost("/{id:guid}/log-batch", async (Guid id, LogBatchRequest request, ClaimsPrincipal user, ExternalRunTracking tracking, CancellationToken ct) =>
            {
                var batch = request.ToLogBatch();
                return batch.Succeeded
                    ? (await tracking.LogBatchAsync(new RunId(id), batch.Value!, user.ToAuditActor(), user.RoleNames(), ct)).ToHttpResult(count => Results.Ok(new { logged = count }))
                    : batch.ToHttpResult();
            })
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Logs metrics, params and tags to an external run (at most 1000 metrics, 100 params, 100 tags).");

        // The configured limit, not the server's default (Kestrel's 30 MB), bounds the body; over it the answer is 413 naming it.
        var maxArtifactBytes = ((IEndpointRouteBuilder)runs).ServiceProvider.GetRequiredService<IOptions<RunsOptions>>().Value.MaxArtifactBytes;
        runs.MapPost("/{id:guid}/artifact", async (Guid id, HttpRequest request, ClaimsPrincipal user, ExternalRunTracking tracking,
                RunQueries queries, CancellationToken ct) =>
                await RunsApi.RunOrProblemAsync(new RunId(id), await tracking.AttachModelAsync(new RunId(id), request.Body, maxArtifactBytes, user.ToAuditActor(), user.RoleNames(), ct), queries, ct))
            .RequireAuthorization(Policies.ManageExperiments)
            .WithRequestBodyLimit(maxArtifactBytes)
            .WithSummary("Uploads the model file of an external run (request body, e.g. an ML.NET zip).");

        runs.MapPost("/{id:guid}/end", async (Guid id, EndRunRequest request, ClaimsPrincipal user, ExternalRunTracking tracking, RunQueries queries,
                CancellationToken ct) =>
                request.ParsedStatus() is { } status
                    ? await RunsApi.RunOrProblemAsync(new RunId(id), await tracking.EndAsync(new RunId(id), status, request.Reason, user.ToAuditActor(), user.RoleNames(), ct), queries, ct)
                    : Results.Problem("status must be Succeeded, Failed or Cancelled.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"))
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Ends an external run: Succeeded, Failed (with a reason) or Cancelled.");

        return runs;
    }

}
