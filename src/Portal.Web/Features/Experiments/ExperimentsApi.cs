using System.Security.Claims;
using Portal.Domain.Experiments;
using Portal.Domain.Security;

namespace Portal.Web.Features.Experiments;

internal static class ExperimentsApi
{
    public static RouteGroupBuilder MapExperimentsApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/experiments").WithTags("Experiments");

        group.MapGet("/", async (string? search, string? sortBy, bool? descending, int? page, int? pageSize, ExperimentService experiments, CancellationToken ct) =>
            {
                var query = new ExperimentQuery(search, sortBy ?? "lastRun", descending ?? true, page ?? 0, pageSize ?? 25);
                return query.Problem() is { } problem
                    ? Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request")
                    : Results.Ok(await experiments.ListAsync(query, ct));
            })
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("Lists experiments with their owner and run counts, paged, searched (name, description) and sorted (lastRun, name, created, runs).");

        group.MapGet("/{id:guid}", async (Guid id, ExperimentService experiments, CancellationToken ct) =>
                await experiments.GetAsync(new ExperimentId(id), ct) is { } found
                    ? Results.Ok(found)
                    : Results.Problem("No such experiment.", statusCode: StatusCodes.Status404NotFound, title: "Not found"))
            .RequireAuthorization(Policies.ReadExperiments)
            .WithSummary("One experiment with its owner and run counts.");

        group.MapPost("/", async (CreateExperimentRequest request, ClaimsPrincipal user, ExperimentService experiments, CancellationToken ct) =>
                (await experiments.CreateAsync(request, user, ct)).ToHttpResult(created => Results.Created($"/api/experiments/{created.Id}", created)))
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Creates an experiment (name, description); the caller owns it. 409 when the name is taken.");

        group.MapPut("/{id:guid}/description", async (Guid id, DescribeExperimentRequest request, ClaimsPrincipal user, ExperimentService experiments, CancellationToken ct) =>
                (await experiments.DescribeAsync(new ExperimentId(id), request, user, ct)).ToHttpResult())
            .RequireAuthorization(Policies.ManageExperiments)
            .WithSummary("Replaces the description; only the experiment's owner may.");

        return api;
    }
}
