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

        group.MapGet("/verify", (AuditTrail audit, CancellationToken ct) => audit.VerifyAsync(ct))
            .WithSummary("Walks the hash chain and reports the first broken entry, if any.");

        group.MapGet("/export", (string? search, string? action, AuditQueryService audit) =>
                CsvExport.Download("portal-audit.csv", (csv, ct) => audit.WriteCsvAsync(new AuditQuery(search, action), csv, ct)))
            .ProducesCsv()
            .WithSummary("Exports matching entries as CSV, oldest first, with their hashes.");

        return api;
    }
}
