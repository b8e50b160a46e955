using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;

namespace Portal.Application.Registry.Cards;

/// <summary>A version's model card, facts and written sections, and its two downloadable forms.</summary>
public sealed class ModelCardReader(IDbContextFactory<PortalDbContext> dbFactory, ModelCardFactsBuilder facts)
{
    /// <summary>The card; null when the run does not exist.</summary>
    public async Task<ModelCard?> GetAsync(ModelVersionId versionId, RunId runId, ModelCardInputs? inputs, CancellationToken cancellationToken)
    {
        var built = await facts.BuildAsync(versionId, runId, inputs, cancellationToken);
        return built is null ? null : new ModelCard(built, await SectionsAsync(versionId, cancellationToken));
    }

    /// <summary>The three written sections in the card's order, unwritten ones empty at revision 0.</summary>
    public async Task<IReadOnlyList<ModelCardSectionText>> SectionsAsync(ModelVersionId versionId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var written = await db.ModelCardSections.AsNoTracking().Where(s => s.ModelVersionId == versionId).ToListAsync(cancellationToken);
        return [.. ModelCardSection.Kinds.Select(kind => written.FirstOrDefault(s => s.Kind == kind) is { } s ? ModelCardSectionText.Of(s) : ModelCardSectionText.Unwritten(kind))];
    }
}
