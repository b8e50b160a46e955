using Portal.Domain.Datasets;
using Portal.Domain.Text;

namespace Portal.Domain.Privacy;

/// <summary>
/// The rules for a column's purpose, legal basis and retention, stated once: an Art. 9(2) condition only for a
/// special-category column, which needs one; an Art. 6(1) ground for other personal data; no legal basis for a column
/// that is not personal; a purpose of at most <see cref="MaxPurposeLength"/> characters under the text rule; a retention of
/// <see cref="MinRetentionDays"/> to <see cref="MaxRetentionDays"/> days or none.
/// </summary>
public static class LegalBasisRules
{
    public const int MaxPurposeLength = 1000;

    public const int MinRetentionDays = 1;

    /// <summary>A hundred years.</summary>
    public const int MaxRetentionDays = 36500;

    /// <summary>The grounds of GDPR Art. 6(1).</summary>
    public static readonly IReadOnlyList<LegalBasis> Article6 =
        [LegalBasis.Consent, LegalBasis.Contract, LegalBasis.LegalObligation, LegalBasis.VitalInterests, LegalBasis.PublicTask, LegalBasis.LegitimateInterests];

    /// <summary>The conditions of GDPR Art. 9(2), which lift the prohibition on processing special categories.</summary>
    public static readonly IReadOnlyList<LegalBasis> Article9 =
    [
        LegalBasis.ExplicitConsent, LegalBasis.EmploymentAndSocialSecurity, LegalBasis.VitalInterestsOfIncapable, LegalBasis.NotForProfitBody,
        LegalBasis.MadePublicByDataSubject, LegalBasis.LegalClaims, LegalBasis.SubstantialPublicInterest, LegalBasis.HealthOrSocialCare,
        LegalBasis.PublicHealth, LegalBasis.ArchivingResearchOrStatistics,
    ];

    public static bool IsArticle6(LegalBasis basis) => Article6.Contains(basis);

    public static bool IsArticle9(LegalBasis basis) => Article9.Contains(basis);

    /// <summary>The legal bases a column of <paramref name="classification"/> may record (besides <see cref="LegalBasis.None"/> where allowed).</summary>
    public static IReadOnlyList<LegalBasis> AllowedFor(DataClassification classification) => classification switch
    {
        DataClassification.SpecialCategory => Article9,
        DataClassification.Personal => Article6,
        _ => [],
    };

    /// <summary>
    /// What is wrong with recording <paramref name="protection"/> on a column classified <paramref name="classification"/>,
    /// said so that the DPO can fix it; null when it may be recorded.
    /// </summary>
    public static string? Problem(DataClassification classification, ColumnProtection protection)
    {
        ArgumentNullException.ThrowIfNull(protection);
        if (TextRule.FreeTextProblem("purpose", protection.Purpose, MaxPurposeLength) is { } purposeProblem)
        {
            return purposeProblem;
        }

        if (protection.RetentionDays is { } days && days is < MinRetentionDays or > MaxRetentionDays)
        {
            return $"retentionDays must be {MinRetentionDays} to {MaxRetentionDays} days, or none for no limit; not {days}.";
        }

        var basis = protection.LegalBasis;
        if (basis != LegalBasis.None && !IsArticle6(basis) && !IsArticle9(basis))
        {
            return $"legalBasis must be one of {Text(Article6)} (Art. 6) or {Text(Article9)} (Art. 9).";
        }

        return classification switch
        {
            DataClassification.SpecialCategory when !IsArticle9(basis) =>
                $"A special-category column needs an Art. 9(2) condition as its legal basis{(basis == LegalBasis.None ? "" : $", not the Art. 6 ground {basis}")}: one of {Text(Article9)}.",
            DataClassification.Personal when IsArticle9(basis) =>
                $"{basis} is an Art. 9 condition, only for special-category columns; a personal column needs an Art. 6 ground: one of {Text(Article6)}, or classify it as SpecialCategory.",
            DataClassification.NotPersonal or DataClassification.Unclassified when basis != LegalBasis.None =>
                "A column that is not personal data needs no legal basis: choose None, or classify it as Personal or SpecialCategory.",
            _ => null,
        };
    }

    /// <summary>A legal basis by its exact name (any case, surrounding blanks ignored), never a number; null for none given, and false when unknown.</summary>
    public static bool TryParse(string? text, out LegalBasis basis)
    {
        basis = LegalBasis.None;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var candidate in Enum.GetValues<LegalBasis>())
        {
            if (string.Equals(candidate.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                basis = candidate;
                return true;
            }
        }

        return false;
    }

    /// <summary>The DPO's words for a legal basis, with its article.</summary>
    public static string Label(LegalBasis basis) => basis switch
    {
        LegalBasis.None => "None recorded",
        LegalBasis.Consent => "Consent (Art. 6(1)(a))",
        LegalBasis.Contract => "Contract (Art. 6(1)(b))",
        LegalBasis.LegalObligation => "Legal obligation (Art. 6(1)(c))",
        LegalBasis.VitalInterests => "Vital interests (Art. 6(1)(d))",
        LegalBasis.PublicTask => "Public task (Art. 6(1)(e))",
        LegalBasis.LegitimateInterests => "Legitimate interests (Art. 6(1)(f))",
        LegalBasis.ExplicitConsent => "Explicit consent (Art. 9(2)(a))",
        LegalBasis.EmploymentAndSocialSecurity => "Employment and social security (Art. 9(2)(b))",
        LegalBasis.VitalInterestsOfIncapable => "Vital interests, subject incapable (Art. 9(2)(c))",
        LegalBasis.NotForProfitBody => "Not-for-profit body (Art. 9(2)(d))",
        LegalBasis.MadePublicByDataSubject => "Made public by the data subject (Art. 9(2)(e))",
        LegalBasis.LegalClaims => "Legal claims (Art. 9(2)(f))",
        LegalBasis.SubstantialPublicInterest => "Substantial public interest (Art. 9(2)(g))",
        LegalBasis.HealthOrSocialCare => "Health or social care (Art. 9(2)(h))",
        LegalBasis.PublicHealth => "Public health (Art. 9(2)(i))",
        LegalBasis.ArchivingResearchOrStatistics => "Archiving, research or statistics (Art. 9(2)(j))",
        _ => basis.ToString(),
    };

    private static string Text(IEnumerable<LegalBasis> bases) => string.Join(", ", bases);
}
