using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// Finds, in the registry, the version a card belongs to and the people who answer for it (who registered the version, who
/// owns its model): what <see cref="ModelCardEditing"/> decides who may write the card by. Implemented over the registry's
/// tables; read on the editing use case's own context.
/// </summary>
public interface IModelCardSubjects
{
    /// <summary>The version, or null when no such version is registered.</summary>
    Task<ModelCardSubject?> FindAsync(PortalDbContext db, ModelVersionId versionId, CancellationToken cancellationToken);
}

/// <summary>A registered version as the card's editing rule needs it.</summary>
/// <param name="RegisteredBy">User id of who registered the version.</param>
/// <param name="ModelOwnerId">User id of the model's owner.</param>
public sealed record ModelCardSubject(ModelVersionId VersionId, RunId RunId, string RegisteredBy, string ModelOwnerId);
