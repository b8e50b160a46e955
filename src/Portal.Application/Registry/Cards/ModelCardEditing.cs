using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Registry;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// Writes the sections of a model card people edit (intended use, limitations, ethical considerations). Who may: a
/// BusinessManager, or the data scientist who registered the version or owns its model (<see cref="ModelCardSection.MayEdit"/>);
/// decided here, not only by which page offers the editor. Each change is audited (<see cref="AuditActions.ModelCardEdited"/>,
/// with the text before and after) in the same save as the section.
/// </summary>
public sealed class ModelCardEditing(IDbContextFactory<PortalDbContext> dbFactory, AuditTrail audit, TimeProvider time, IModelCardSubjects subjects)
{
    /// <summary>Whether the user may edit this version's card, for a page to offer the editor only to them; <see cref="EditAsync"/> decides the same way.</summary>
    public async Task<bool> MayEditAsync(ModelVersionId versionId, string userId, IReadOnlyCollection<string> roles, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await subjects.FindAsync(db, versionId, cancellationToken) is { } subject
            && ModelCardSection.MayEdit(userId, roles, subject.RegisteredBy, subject.ModelOwnerId);
    }

    /// <summary>The section as saved; NotFound for an unknown version, Forbidden for someone who may not edit, Invalid for text the rule refuses, Conflict when someone saved it meanwhile.</summary>
    public async Task<OperationResult<ModelCardSectionText>> EditAsync(ModelCardSectionEdit edit, AuditActor actor, IReadOnlyCollection<string> actorRoles,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(edit);
        ArgumentNullException.ThrowIfNull(actor);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await subjects.FindAsync(db, edit.VersionId, cancellationToken) is not { } subject)
        {
            return OperationResult<ModelCardSectionText>.Fail(OperationStatus.NotFound, $"No model version {edit.VersionId} is registered.");
        }

        if (!ModelCardSection.MayEdit(actor.Id, actorRoles, subject.RegisteredBy, subject.ModelOwnerId))
        {
            return OperationResult<ModelCardSectionText>.Fail(OperationStatus.Forbidden, ModelCardSection.EditRefusal);
        }

        if (ModelCardSection.TextProblem(edit.Section, edit.Text) is { } problem)
        {
            return OperationResult<ModelCardSectionText>.Fail(OperationStatus.Invalid, problem);
        }

        var section = await db.ModelCardSections.FirstOrDefaultAsync(s => s.ModelVersionId == edit.VersionId && s.Kind == edit.Section, cancellationToken);
        var currentRevision = section?.Revision ?? 0;
        if (currentRevision != edit.ExpectedRevision)
        {
            return Changed(section);
        }

        var before = section?.Text ?? "";
        if (before == edit.Text.Trim())
        {
            // Nothing changed: nothing to save, nothing to audit.
            return OperationResult<ModelCardSectionText>.Ok(section is null ? ModelCardSectionText.Unwritten(edit.Section) : ModelCardSectionText.Of(section));
        }

        var now = time.GetUtcNow();
        if (section is null)
        {
            section = ModelCardSection.Write(edit.VersionId, edit.Section, edit.Text, actor.Id, actor.Name, now);
            db.ModelCardSections.Add(section);
        }
        else
        {
            section.Rewrite(edit.Text, actor.Id, actor.Name, now);
        }

        audit.Record(db, actor, AuditActions.ModelCardEdited, AuditSubject.ModelVersion(edit.VersionId),
            new { section = edit.Section.ToString(), revision = section.Revision, runId = subject.RunId.ToString(), before, after = section.Text });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another editor saved this section first (the revision token, or the first save of the same section): say who.
            // Any other failure wrote nothing (section and audit entry share the save) and is not the user's to fix.
            await using var fresh = await dbFactory.CreateDbContextAsync(cancellationToken);
            var saved = await fresh.ModelCardSections.AsNoTracking()
                .FirstOrDefaultAsync(s => s.ModelVersionId == edit.VersionId && s.Kind == edit.Section, cancellationToken);
            if ((saved?.Revision ?? 0) == edit.ExpectedRevision)
            {
                throw;
            }

            return Changed(saved);
        }

        return OperationResult<ModelCardSectionText>.Ok(ModelCardSectionText.Of(section));
    }

    private static OperationResult<ModelCardSectionText> Changed(ModelCardSection? now) =>
        OperationResult<ModelCardSectionText>.Fail(OperationStatus.Conflict, now is null
            ? "The section was changed since you opened it; reload the card and edit again."
            : $"{now.EditedByName} saved this section (revision {now.Revision}) since you opened it; reload the card to see their text, then edit again.");
}
