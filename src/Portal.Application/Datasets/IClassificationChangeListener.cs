using Portal.Data;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;

namespace Portal.Application.Datasets;

/// <summary>
/// Told when the DPO changes the classification of columns of a dataset version, inside the same unit of work and before it
/// is saved: whatever it changes on <c>db</c> (marking promotion evidence stale, with its audit entries) commits or rolls
/// back together with the classification.
/// </summary>
public interface IClassificationChangeListener
{
    Task ClassificationChangedAsync(PortalDbContext db, DatasetVersionId versionId, IReadOnlyList<ColumnClassificationChange> changes, AuditActor actor,
        CancellationToken cancellationToken);
}

/// <summary>The default until the registry registers its own listener: nothing depends on a classification yet.</summary>
internal sealed class NoClassificationChangeListener : IClassificationChangeListener
{
    public Task ClassificationChangedAsync(PortalDbContext db, DatasetVersionId versionId, IReadOnlyList<ColumnClassificationChange> changes,
        AuditActor actor, CancellationToken cancellationToken) => Task.CompletedTask;
}
