using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Experiments;

namespace Portal.Application.Experiments;

/// <summary>The audit entry of a new experiment, whether the experiments page or the first run under a new name created it.</summary>
public static class ExperimentAudit
{
    /// <summary>Records the creation in the caller's unit of work, so it exists exactly when the experiment does.</summary>
    public static void RecordCreated(this AuditTrail audit, PortalDbContext db, Experiment experiment, AuditActor actor) =>
        audit.Record(db, actor, AuditActions.ExperimentCreated, AuditSubject.Experiment(experiment.Id),
            new { experiment.Name, experiment.Description });
}
