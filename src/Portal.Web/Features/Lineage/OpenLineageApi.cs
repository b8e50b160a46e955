using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Features;
using Portal.Application.Lineage;
using Portal.Domain.Lineage;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Lineage;

/// <summary>OpenLineage in: Marquez's <c>POST /api/v1/lineage</c>, so an OpenLineage client pointed at Portal needs no change but the URL and a token.</summary>
internal static class OpenLineageApi
{
    public static RouteGroupBuilder MapOpenLineageApi(this RouteGroupBuilder api)
    {
        api.MapPost("/v1/lineage", async (HttpRequest request, ClaimsPrincipal user, OpenLineageIngestion ingestion, CancellationToken ct) =>
            {
                if (!PooledJsonBody.IsJson(request.ContentType))
                {
                    return Results.Problem("Send the event as application/json.", statusCode: StatusCodes.Status415UnsupportedMediaType,
                        title: "Unsupported media type");
                }

                var body = await ReadAsync(request, ct);
                if (body is null)
                {
                    return Results.Problem($"The event is larger than {OpenLineageEvent.MaxPayloadLength:N0} bytes (1 MB); send one event per request.",
                        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Too large");
                }

                return (await ingestion.IngestAsync(body.Value, user.ToAuditActor(), ct))
                    .ToHttpResult(accepted => Results.Json(accepted, statusCode: StatusCodes.Status201Created));
            })
            .RequireAuthorization(Policies.IngestLineage)
            .WithTags("Lineage")
            .Accepts<JsonObject>("application/json")
            .WithRequestBodyLimit(OpenLineageEvent.MaxPayloadLength + 1)
            .WithSummary("Accepts one OpenLineage RunEvent (spec 2-0-2, validated against the official JSON schema; at most 1 MB), as Marquez does: " +
                         "201 with the stored event's id and the lineage nodes it touched. The job and its input and output datasets become " +
                         "lineage nodes (job:namespace/name, externalDataset:namespace/name) with used-by and produced edges.")
            .Produces<IngestedLineageEvent>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        return api;
    }

    /// <summary>The body, or null when it is over the limit (read no further than one byte past it, whatever Content-Length claims).</summary>
    private static async Task<ReadOnlyMemory<byte>?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        const int limit = OpenLineageEvent.MaxPayloadLength;
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > limit)
            {
                return null;
            }
        }

        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
