using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;

namespace Portal.Application.Registry.Cards;

/// <summary>The registered version a card belongs to, read from the registry's tables.</summary>
public sealed class RegistryModelCardSubjects : IModelCardSubjects
{
    public Task<ModelCardSubject?> FindAsync(PortalDbContext db, ModelVersionId versionId, CancellationToken cancellationToken) =>
        db.ModelVersions.AsNoTracking().Where(v => v.Id == versionId)
            .Join(db.RegisteredModels, v => v.ModelId, m => m.Id, (v, m) => new ModelCardSubject(v.Id, v.RunId, v.RegisteredBy, m.OwnerId))
            .FirstOrDefaultAsync(cancellationToken);
}
