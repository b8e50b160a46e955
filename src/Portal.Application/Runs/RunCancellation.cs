using Microsoft.EntityFrameworkCore;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Domain.Security;

namespace Portal.Application.Runs;

/// <summary>
/// Cancels a run: a queued (or external) one at once, a running managed one by asking its worker to stop. Its submitter
/// may, and an Administrator may cancel anyone's (<see cref="RunOwnership"/>); the audit entry then says whose run it was.
/// </summary>
public sealed class RunCancellation(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time,
    OpenLineageRunEvents? lineage = null)
{
    /// <summary>
    /// Whether <paramref name="userId"/> with <paramref name="roles"/> may cancel the run (the capability and the run's
    /// ownership), for a page to offer the button only to them; <see cref="CancelAsync"/> decides the same way.
    /// </summary>
    public async Task<bool> MayCancelAsync(RunId runId, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        if (!AuthorizationMatrix.IsAllowed(RunOwnership.PolicyFor(RunChange.Cancel), roles))
        {
            return false;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var submitter = await db.Runs.AsNoTracking().Where(r => r.Id == runId).Select(r => r.SubmittedBy).FirstOrDefaultAsync(cancellationToken);
        return submitter is not null && RunOwnership.Decide(RunChange.Cancel, submitter, userId, roles).Allowed;
    }

    /// <summary>The run's status after the request (Cancelled, or still Running until its worker stops).</summary>
    public async Task<OperationResult<RunStatus>> CancelAsync(RunId runId, AuditActor actor, IReadOnlyCollection<string> actorRoles, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return OperationResult<RunStatus>.Fail(OperationStatus.NotFound, "No such run.");
        }

        var (decision, refusal) = await RunChangeGate.DecideAsync<RunStatus>(audit, RunChange.Cancel, runId, run.SubmittedBy, run.SubmittedByName, actor,
            actorRoles, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var before = run.Status;
        try
        {
            run.RequestCancel(time.GetUtcNow());
        }
        catch (InvalidOperationException ex)
        {
            return OperationResult<RunStatus>.Fail(OperationStatus.Conflict, ex.Message);
        }

        audit.Record(db, actor, AuditActions.RunCancelled, AuditSubject.Run(run.Id),
            new
            {
                before = before.ToString(),
                after = run.Status.ToString(),
                stopRequested = run.Status == RunStatus.Running,
                submittedBy = run.SubmittedByName,
                cancelledAs = decision.ByAdministrator ? "Administrator" : "submitter",
            });
        db.PublishRunChanged(run, time.GetUtcNow(), "Cancellation requested.");
        // A run that started and is now cancelled ends its OpenLineage run (ABORT); a queued one never started one.
        if (before == RunStatus.Running && run.Status == RunStatus.Cancelled && lineage is not null)
        {
            await lineage.EnqueueAsync(db, run, cancellationToken);
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<RunStatus>.Fail(OperationStatus.Conflict, "The run changed state at the same moment; look again and retry.");
        }

        return OperationResult<RunStatus>.Ok(run.Status);
    }
}
