using System.Text.Json;
using Portal.Application.Audit;
using Portal.Data.Audit;
using Portal.Domain.Security;

namespace Portal.Web.Features.Audit;

internal static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this RouteGroupBuilder api)
    {
        var group = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Policies.ReadAudit);

        group.MapGet("/", async (string? search, string? action, int? page, int? pageSize, AuditQueryService audit, CancellationToken ct) =>
            {
                var (p, size) = PagedResult<AuditRow>.Normalize(page, pageSize);
                return await audit.SearchAsync(new AuditQuery(search, action, null, p, size), ct);
            })
            .WithSummary("Searches the audit trail, newest first.");

        group.MapGet("/verify", (AuditCheckpoints checkpoints, CancellationToken ct) => checkpoints.VerifyAsync(ct))
            .WithSummary("Walks the hash chain, reports the first broken entry, and checks it against every signed checkpoint (database and published).");

        group.MapGet("/export", (string? search, string? action, string? format, AuditQueryService audit, AuditCheckpoints checkpoints) => format?.ToLowerInvariant() switch
            {
                null or "" or "csv" => CsvExport.Download("portal-audit.csv", (csv, ct) => audit.WriteCsvAsync(new AuditQuery(search, action), csv, ct)),
                "json" => AuditJsonExport.Download("portal-audit.json", async (json, ct) => await audit.WriteJsonAsync(new AuditQuery(search, action), json, await checkpoints.OverviewAsync(500, ct), ct)),
                _ => Results.Problem("format must be csv or json.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request"),
            })
            .ProducesCsv()
            .Produces(StatusCodes.Status200OK, contentType: "application/json")
            .WithSummary("Exports matching entries, oldest first, with their hashes: CSV (default) or JSON (format=json, with canonical forms and the checkpoints).");

        group.MapGet("/checkpoints", (AuditCheckpoints checkpoints, CancellationToken ct) => checkpoints.OverviewAsync(100, ct))
            .WithSummary("Signed checkpoints (latest 100), the signing key's id and public key, and where checkpoints are published.");

        group.MapPost("/checkpoints", async (System.Security.Claims.ClaimsPrincipal user, AuditCheckpoints checkpoints, CancellationToken ct) =>
                (await checkpoints.SignAsync(user.ToAuditActor(), onlyIfHeadMoved: false, ct)).ToHttpResult(signed => signed is null
                    ? Results.Problem("The chain head is already signed: nothing was added since the last checkpoint.", statusCode: StatusCodes.Status409Conflict, title: "Conflict")
                    : Results.Created("/api/audit/checkpoints", signed)))
            .RequireAuthorization(Policies.SignAuditCheckpoints)
            .WithSummary("Signs a checkpoint of the chain head now and publishes it.");

        group.MapPost("/checkpoints/verify", async (SubmittedAuditCheckpoint? checkpoint, AuditCheckpoints checkpoints, CancellationToken ct) =>
                checkpoint is null
                    ? Results.Problem("Post a checkpoint as published (checkpoint-<id>.json).", statusCode: StatusCodes.Status400BadRequest, title: "Invalid request")
                    : (await checkpoints.VerifySubmittedAsync(checkpoint, ct)).ToHttpResult())
            .WithSummary("Checks an auditor's checkpoint: 200 with valid true/false (history rewritten or cut), 400 when malformed or its signature fails.");

        group.MapGet("/entries/{sequence}/proof", async (long sequence, long? checkpoint, AuditCheckpoints checkpoints, CancellationToken ct) =>
                (await checkpoints.ProofAsync(sequence, checkpoint, ct)).ToHttpResult())
            .WithSummary("Inclusion proof of an entry up to a signed checkpoint: every entry from it to the checkpoint's with canonical form and hash (docs/audit-proofs.md).");

        return api;
    }
}

/// <summary>A streamed JSON download written through a <see cref="Utf8JsonWriter"/>.</summary>
internal static class AuditJsonExport
{
    public static IResult Download(string fileName, Func<Utf8JsonWriter, CancellationToken, Task> write) => new DownloadResult(fileName, write);

    private sealed class DownloadResult(string fileName, Func<Utf8JsonWriter, CancellationToken, Task> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            await using var writer = new Utf8JsonWriter(httpContext.Response.Body, new JsonWriterOptions { Indented = false });
            await write(writer, httpContext.RequestAborted);
            await writer.FlushAsync(httpContext.RequestAborted);
        }
    }
}
