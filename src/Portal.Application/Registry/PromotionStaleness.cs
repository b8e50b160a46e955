using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Registry;

namespace Portal.Application.Registry;

/// <summary>
/// Marks open promotion requests stale when their frozen evidence no longer describes the truth (a new champion, a changed
/// classification, hold-out or risk tier), inside the caller's transaction: each gets an audit entry and a live event, and
/// approval is refused until it is re-evaluated.
/// </summary>
public static class PromotionStaleness
{
    private static readonly PromotionStatus[] Open = [PromotionStatus.Evaluating, PromotionStatus.Pending, PromotionStatus.Blocked];

    public static async Task<int> MarkOpenRequestsStaleAsync(PortalDbContext db, AuditTrail audit, AuditActor actor,
        Expression<Func<PromotionRequest, bool>> which, string reason, string modelName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var requests = await db.PromotionRequests.Where(r => Open.Contains(r.Status)).Where(which).ToListAsync(cancellationToken);
        foreach (var request in requests)
        {
            var evidence = request.EvidenceSha256;
            if (request.MarkStale(reason).Succeeded)
            {
                RegistryConcurrency.Touch(db, request);
                audit.Record(db, actor, AuditActions.PromotionStale, AuditSubject.PromotionRequest(request.Id),
                    new { model = modelName, version = request.VersionNumber, reason, evidenceSha256 = evidence });
                db.PublishPromotionChanged(request, modelName, now);
            }
        }

        return requests.Count;
    }
}
