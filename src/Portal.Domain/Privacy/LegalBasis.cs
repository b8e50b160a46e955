namespace Portal.Domain.Privacy;

/// <summary>
/// The lawful basis for processing a personal column (GDPR Art. 6(1)), and for a special-category column also the
/// condition of Art. 9(2) that lifts the prohibition. <see cref="None"/> until the DPO records one.
/// </summary>
public enum LegalBasis
{
    None = 0,

    // Art. 6(1)
    Consent = 1,
    Contract = 2,
    LegalObligation = 3,
    VitalInterests = 4,
    PublicTask = 5,
    LegitimateInterests = 6,

    // Art. 9(2), special categories only
    ExplicitConsent = 20,
    EmploymentAndSocialSecurity = 21,
    VitalInterestsOfIncapable = 22,
    NotForProfitBody = 23,
    MadePublicByDataSubject = 24,
    LegalClaims = 25,
    SubstantialPublicInterest = 26,
    HealthOrSocialCare = 27,
    PublicHealth = 28,
    ArchivingResearchOrStatistics = 29,
}
