using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Runs;

namespace Portal.Application.Runs;

/// <summary>
/// Applies <see cref="RunOwnership"/> in every use case that changes a run, and answers a refusal the same way
/// everywhere: 403 saying who may (runs are readable by every data scientist, so hiding that the run exists buys
/// nothing), recorded in the audit trail because someone tried to steer another person's run.
/// </summary>
internal static class RunChangeGate
{
    public static async Task<(RunChangeDecision Decision, OperationResult<T>? Refusal)> DecideAsync<T>(AuditTrail audit, RunChange change, RunId runId,
        string submitterId, string submitterName, AuditActor actor, IReadOnlyCollection<string> actorRoles, CancellationToken cancellationToken)
    {
        var decision = RunOwnership.Decide(change, submitterId, actor.Id, actorRoles);
        if (decision.Allowed)
        {
            return (decision, null);
        }

        await audit.WriteAsync(actor, AuditActions.RunChangeRefused, AuditSubject.Run(runId),
            new { change = change.ToString(), submittedBy = submitterName }, cancellationToken);
        return (decision, OperationResult<T>.Fail(OperationStatus.Forbidden, $"{decision.Refusal} This run was submitted by {submitterName}."));
    }
}
