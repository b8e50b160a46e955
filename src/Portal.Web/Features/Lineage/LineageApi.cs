using Portal.Application;
using Portal.Application.Lineage;
using Portal.Domain.Lineage;
using Portal.Domain.Security;

namespace Portal.Web.Features.Lineage;

/// <summary>
/// <c>GET /api/lineage?node=&lt;kind&gt;:&lt;id&gt;&amp;direction=up|down|both&amp;depth=N&amp;limit=M</c>: the lineage graph around
/// one node (<see cref="LineageQuery"/>), as <c>{ nodes: [{ id, kind, label, personalData, live?, url? }], edges: [{ from, to, kind }], truncated }</c>
/// with the wire names of <see cref="LineageNames"/>. 400 for a malformed node, an unknown kind, a depth outside 1–10 or another
/// direction; 404 for a node the portal does not know.
/// </summary>
internal static class LineageApi
{
    public static RouteGroupBuilder MapLineageApi(this RouteGroupBuilder api)
    {
        api.MapGet("/lineage", async (string? node, string? direction, int? depth, int? limit, LineageQuery query, CancellationToken ct) =>
            {
                var request = LineageRequest.Parse(node, direction, depth, limit);
                if (!request.Succeeded)
                {
                    return Results.Problem(request.Error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request");
                }

                var result = await query.GetAsync(request.Value!, ct);
                return result.Status switch
                {
                    OperationStatus.Ok => Results.Ok(Shape(result.Value!, request.Value!)),
                    OperationStatus.NotFound => Results.Problem(result.Error, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
                    _ => Results.Problem(result.Error, statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"),
                };
            })
            .RequireAuthorization(Policies.ReadLineage)
            .WithTags("Lineage")
            .WithName("GetLineage")
            .WithSummary("The lineage graph around a node (node=<kind>:<id>, kind one of dataset, datasetVersion, run, modelVersion, promotion, deployment, job, externalDataset): direction up, down (default) or both, depth 1 to 10 (default 3), limit 1 to 5000 nodes (default 500; truncated says the limit cut the walk). Each node has a label, personalData (it holds or was trained on personal data), live for a deployment, and the url of its page.")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static object Shape(LineageGraph graph, LineageRequest request) => new
    {
        root = graph.Root.Key,
        direction = LineageRequest.NameOf(request.Direction),
        depth = request.Depth,
        truncated = graph.Truncated,
        nodes = graph.Nodes.Select(n => new
        {
            id = n.Ref.Key,
            kind = LineageNames.Of(n.Ref.Kind),
            label = n.Label,
            personalData = n.PersonalData,
            live = n.Live,
            url = n.Url,
            level = n.Level,
        }),
        edges = graph.Edges.Select(e => new { from = e.From.Key, to = e.To.Key, kind = LineageNames.Of(e.Kind) }),
    };
}
