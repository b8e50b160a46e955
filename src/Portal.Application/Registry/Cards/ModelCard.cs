using Portal.Domain.Registry;

namespace Portal.Application.Registry.Cards;

/// <summary>A model version's card: the generated facts and the three written sections, in the card's order.</summary>
public sealed record ModelCard(ModelCardFacts Facts, IReadOnlyList<ModelCardSectionText> Sections)
{
    public ModelCardSectionText Section(ModelCardSectionKind kind) => Sections.First(s => s.Kind == kind);
}

/// <summary>A written section as it stands: revision 0 and empty text when nobody has written it yet.</summary>
public sealed record ModelCardSectionText(ModelCardSectionKind Kind, string Text, int Revision, string? EditedByName, DateTime? EditedUtc)
{
    public string Title => ModelCardSection.Title(Kind);

    public bool IsWritten => Text.Length > 0;

    public static ModelCardSectionText Unwritten(ModelCardSectionKind kind) => new(kind, "", 0, null, null);

    public static ModelCardSectionText Of(ModelCardSection section)
    {
        ArgumentNullException.ThrowIfNull(section);
        return new(section.Kind, section.Text, section.Revision, section.EditedByName, section.EditedUtc);
    }
}
