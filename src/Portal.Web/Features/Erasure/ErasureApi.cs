using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Portal.Application;
using Portal.Application.Privacy;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Security;
using Portal.Web.Infrastructure;

namespace Portal.Web.Features.Erasure;

/// <summary>Body of <c>POST /api/erasure/impact</c>: a subject (<c>column</c> and <c>value</c>) or a <c>datasetVersionId</c>.</summary>
public sealed record ErasureImpactRequest(string? Column, string? Value, Guid? DatasetVersionId);

/// <summary>Body of <c>POST /api/erasure/requests</c>: what to mark (as for the impact) and why.</summary>
public sealed record MarkForErasureRequest(string? Column, string? Value, Guid? DatasetVersionId, string? Reason);

/// <summary>Body of <c>POST /api/dataset-versions/{id}/purge</c>: <c>confirm</c> must be true, and a reason.</summary>
public sealed record PurgeRequest(bool? Confirm, string? Reason);

/// <summary>
/// Erasure and retention over HTTP, for the data protection officer. The subject's value travels only in POST bodies and is never
/// stored or logged: answers, links, exports and audit entries carry the column and the keyed hash instead.
/// </summary>
internal static class ErasureApi
{
    private const int RegisterSize = 500;

    public static RouteGroupBuilder MapErasureApi(this RouteGroupBuilder api)
    {
        var erasure = api.MapGroup("/erasure").WithTags("Erasure");
        erasure.MapPost("/impact", async (ErasureImpactRequest request, ErasureImpact impact, CancellationToken ct) =>
                (await ImpactAsync(impact, request.Column, request.Value, null, request.DatasetVersionId, ct)).ToHttpResult())
            .RequireAuthorization(Policies.AssessErasure)
            .WithName("AssessErasureImpact")
            .WithSummary("Everything an erasure touches: for a data subject ({column, value}) the dataset versions whose erasure index holds the value (keyed hash, binary search; no file is scanned), or one {datasetVersionId}; then every run trained on them, every model version and every live deployment (Production, or the canary of an active rollout). The answer names the subject by its keyed hash only.")
            .Produces<ErasureImpactReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        erasure.MapGet("/report.csv", async (string? column, string? keyHash, Guid? datasetVersionId, ClaimsPrincipal user, ErasureImpact impact,
                ErasureReportAudit audit, CancellationToken ct) =>
            {
                var lines = await LinesAsync(impact, column, keyHash, datasetVersionId, ct);
                if (!lines.Succeeded)
                {
                    return lines.ToHttpResult();
                }

                await audit.RecordAsync(user.ToAuditActor(), "csv", column, keyHash, datasetVersionId, ct);
                return CsvExport.Download("erasure-impact.csv", (csv, _) => ErasureReport.WriteCsvAsync(csv, lines.Value!.Lines));
            })
            .RequireAuthorization(Policies.AssessErasure)
            .WithName("ExportErasureReportCsv")
            .WithSummary("The erasure-impact report as CSV (formula cells neutralised): of a subject (column and the keyHash an impact answer gave), of a datasetVersionId, or with neither the erasure register (every request, newest first, with what it affects). Audited erasure.report.exported.")
            .ProducesCsv()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        erasure.MapGet("/report.html", async (string? column, string? keyHash, Guid? datasetVersionId, ClaimsPrincipal user, ErasureImpact impact,
                ErasureReportAudit audit, TimeProvider time, CancellationToken ct) =>
            {
                var lines = await LinesAsync(impact, column, keyHash, datasetVersionId, ct);
                if (!lines.Succeeded)
                {
                    return lines.ToHttpResult();
                }

                await audit.RecordAsync(user.ToAuditActor(), "html", column, keyHash, datasetVersionId, ct);
                var html = ErasureReport.Html("Erasure impact report", lines.Value!.Subject, time.GetUtcNow(), lines.Value.Lines);
                return new HtmlPage(html);
            })
            .RequireAuthorization(Policies.AssessErasure)
            .WithName("ExportErasureReportHtml")
            .WithSummary("The erasure-impact report as a printable page (same parameters as report.csv; no script). Audited erasure.report.exported.")
            .Produces(StatusCodes.Status200OK, contentType: "text/html")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        erasure.MapPost("/requests", async (MarkForErasureRequest request, ClaimsPrincipal user, ErasureMarking marking, CancellationToken ct) =>
            {
                if (request.DatasetVersionId is null && (string.IsNullOrWhiteSpace(request.Column) || request.Value is null))
                {
                    return Results.Problem("Give a data subject (column and value) or a datasetVersionId to mark.", statusCode: StatusCodes.Status400BadRequest,
                        title: "Invalid request");
                }

                var result = await marking.MarkAsync(new MarkForErasure(request.Column, request.Value,
                    request.DatasetVersionId is { } id ? new DatasetVersionId(id) : null, request.Reason), user.ToAuditActor(), ct);
                return result.ToHttpResult(marked => Results.Created($"/api/erasure/report.csv?datasetVersionId={marked.DatasetVersionIds[0]}", marked));
            })
            .RequireAuthorization(Policies.ManageDataProtection)
            .WithName("MarkForErasure")
            .WithSummary("Marks for erasure, with a reason (required): every dataset version holding the subject ({column, value}) or one {datasetVersionId}. Every model whose Production version learned from a marked version gets a \"retrain required\" task the retraining loop picks up (trained without the subject's rows). Audited erasure.requested and retraining.required; webhook erasure.requested.")
            .Produces<ErasureMarked>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

        erasure.MapGet("/retention", async (DatasetRetention retention, CancellationToken ct) => Results.Ok(await retention.ListDueAsync(ct)))
            .RequireAuthorization(Policies.AssessErasure)
            .WithName("ListRetentionDue")
            .WithSummary("Dataset versions past their retention (upload + the shortest retention of their personal columns), soonest first, with when the alert was raised and whether they were purged.")
            .Produces<IReadOnlyList<RetentionRow>>();

        api.MapPost("/dataset-versions/{versionId:guid}/purge", async (Guid versionId, PurgeRequest request, ClaimsPrincipal user, DatasetRetention retention,
                CancellationToken ct) =>
                (await retention.PurgeAsync(new PurgeDatasetVersion(new DatasetVersionId(versionId), request.Confirm == true, request.Reason), user.ToAuditActor(), ct))
                .ToHttpResult())
            .WithTags("Erasure")
            .RequireAuthorization(Policies.ManageDataProtection)
            .WithName("PurgeDatasetVersion")
            .WithSummary("Purges a dataset version's content: confirm must be true and a reason given. The stored file is deleted unless another version that is not purged has the same content; metadata, hashes, the erasure index and lineage stay, shown as purged. Training on it is refused afterwards. Audited dataset.version.purged.")
            .Produces<PurgedVersion>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static Task<OperationResult<ErasureImpactReport>> ImpactAsync(ErasureImpact impact, string? column, string? value, string? keyHash, Guid? versionId,
        CancellationToken ct) =>
        versionId is { } id
            ? impact.OfVersionAsync(new DatasetVersionId(id), ct)
            : value is not null || keyHash is null
                ? impact.OfSubjectAsync(column, value, ct)
                : impact.OfKeyHashAsync(column, keyHash, ct);

    private sealed record ReportLines(string Subject, IReadOnlyList<ErasureReportLine> Lines);

    private static async Task<OperationResult<ReportLines>> LinesAsync(ErasureImpact impact, string? column, string? keyHash, Guid? versionId, CancellationToken ct)
    {
        if (versionId is null && column is null && keyHash is null)
        {
            var register = await impact.RegisterAsync(RegisterSize, ct);
            return OperationResult<ReportLines>.Ok(new("Erasure register: every erasure request, newest first",
                [.. register.SelectMany(r => ErasureReport.Lines(r.Request.Id.ToString(), r.Impact))]));
        }

        var found = await ImpactAsync(impact, column, null, keyHash, versionId, ct);
        if (!found.Succeeded)
        {
            return found.FailAs<ReportLines>();
        }

        var report = found.Value!;
        var subject = report.KeyHash is { } hash ? $"Data subject: column {report.Column}, keyed hash {hash}" : $"Dataset version {report.AskedVersionId}";
        return OperationResult<ReportLines>.Ok(new(subject, [.. ErasureReport.Lines("", report)]));
    }

    private sealed class HtmlPage(string html) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.ContentType = ErasureReport.HtmlContentType;
            response.Headers.ContentDisposition = "inline; filename=\"erasure-impact.html\"";
            response.Headers.ContentSecurityPolicy = ErasureReport.ContentSecurityPolicy;
            response.Headers.CacheControl = "no-store";
            await response.WriteAsync(html, httpContext.RequestAborted);
        }
    }
}

/// <summary>Records each export of an erasure report (<c>erasure.report.exported</c>) with the subject's column and keyed hash, never a value.</summary>
public sealed class ErasureReportAudit(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit)
{
    public async Task RecordAsync(AuditActor actor, string format, string? column, string? keyHash, Guid? datasetVersionId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var subject = datasetVersionId is { } id ? AuditSubject.DatasetVersion(new DatasetVersionId(id)) : AuditSubject.User(actor.Id);
        audit.Record(db, actor, AuditActions.ErasureReportExported, subject, new
        {
            format,
            column,
            keyHash,
            datasetVersionId,
            register = datasetVersionId is null && column is null && keyHash is null,
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
