using Portal.Domain.Security;
using Portal.Domain.Text;

namespace Portal.Domain.Registry;

/// <summary>
/// One written section of a model version's card (intended use, limitations, ethical considerations), keyed by the version
/// and the section. Each save raises <see cref="Revision"/>, which an editor sends back: an edit made on an older revision is
/// refused instead of silently overwriting what someone else wrote meanwhile.
/// </summary>
public sealed class ModelCardSection
{
    public const int MaxTextLength = 4000;

    /// <summary>The sections in the order the card shows them.</summary>
    public static readonly IReadOnlyList<ModelCardSectionKind> Kinds =
        [ModelCardSectionKind.IntendedUse, ModelCardSectionKind.Limitations, ModelCardSectionKind.EthicalConsiderations];

    private ModelCardSection()
    {
    }

    public ModelVersionId ModelVersionId { get; private set; }

    public ModelCardSectionKind Kind { get; private set; }

    public string Text { get; private set; } = "";

    /// <summary>1 after the first save, one more with each save after it.</summary>
    public int Revision { get; private set; }

    public string EditedBy { get; private set; } = "";

    public string EditedByName { get; private set; } = "";

    public DateTime EditedUtc { get; private set; }

    /// <summary>The heading people read.</summary>
    public static string Title(ModelCardSectionKind kind) => kind switch
    {
        ModelCardSectionKind.IntendedUse => "Intended use",
        ModelCardSectionKind.Limitations => "Limitations",
        ModelCardSectionKind.EthicalConsiderations => "Ethical considerations",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a model card section."),
    };

    /// <summary>What the section should say, for the editor's helper text.</summary>
    public static string Prompt(ModelCardSectionKind kind) => kind switch
    {
        ModelCardSectionKind.IntendedUse => "What the model is for, who uses its predictions, and what it must not be used for.",
        ModelCardSectionKind.Limitations => "Where the model is known to be weak: populations, value ranges or periods its data does not cover.",
        ModelCardSectionKind.EthicalConsiderations => "Who could be harmed by a wrong prediction, sensitive data it learned from, and how that is mitigated.",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a model card section."),
    };

    /// <summary>What is wrong with <paramref name="text"/> for this section, said so that the writer can fix it; null when valid.</summary>
    public static string? TextProblem(ModelCardSectionKind kind, string? text) =>
        Enum.IsDefined(kind) ? TextRule.FreeTextProblem(Title(kind), text, MaxTextLength) : $"{(int)kind} is not a model card section.";

    /// <summary>
    /// Who may write a version's card: a BusinessManager (the card is what they sign on), or a data scientist who registered
    /// the version or owns its model. Nobody else, not an Administrator or the DPO by those roles alone.
    /// </summary>
    public static bool MayEdit(string userId, IEnumerable<string> roles, string versionRegisteredBy, string modelOwnerId)
    {
        ArgumentNullException.ThrowIfNull(roles);
        var held = roles.ToList();
        if (held.Contains(Roles.BusinessManager, StringComparer.Ordinal))
        {
            return true;
        }

        return held.Contains(Roles.DataScientist, StringComparer.Ordinal) && userId.Length > 0
            && (userId == versionRegisteredBy || userId == modelOwnerId);
    }

    /// <summary>The refusal a user who may not edit is told.</summary>
    public const string EditRefusal =
        "Only a business manager, or the data scientist who registered this version or owns its model, may edit its model card.";

    /// <summary>The first text of a section (revision 1). Refused (ArgumentException) when <see cref="TextProblem"/> says why.</summary>
    public static ModelCardSection Write(ModelVersionId versionId, ModelCardSectionKind kind, string text, string byUserId, string byName, DateTimeOffset now)
    {
        if (TextProblem(kind, text) is { } problem)
        {
            throw new ArgumentException(problem, nameof(text));
        }

        return new()
        {
            ModelVersionId = versionId,
            Kind = kind,
            Text = text.Trim(),
            Revision = 1,
            EditedBy = byUserId,
            EditedByName = byName,
            EditedUtc = now.UtcDateTime,
        };
    }

    /// <summary>Replaces the text and raises the revision. Refused (ArgumentException) when <see cref="TextProblem"/> says why.</summary>
    public void Rewrite(string text, string byUserId, string byName, DateTimeOffset now)
    {
        if (TextProblem(Kind, text) is { } problem)
        {
            throw new ArgumentException(problem, nameof(text));
        }

        Text = text.Trim();
        Revision++;
        EditedBy = byUserId;
        EditedByName = byName;
        EditedUtc = now.UtcDateTime;
    }
}
