using Portal.Domain.Registry;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// A new text for one written section of a version's card. <paramref name="ExpectedRevision"/> is the revision the editor
/// started from (0 for a section nobody wrote yet): an edit on an older revision is refused, not merged.
/// </summary>
public sealed record ModelCardSectionEdit(ModelVersionId VersionId, ModelCardSectionKind Section, string Text, int ExpectedRevision);
