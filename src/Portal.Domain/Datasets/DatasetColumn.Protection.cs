using Portal.Domain.Privacy;

namespace Portal.Domain.Datasets;

/// <summary>The DPO's purpose, legal basis and retention for a column, and how a column's classification is carried to the next version.</summary>
public sealed partial class DatasetColumn
{
    /// <summary>The column's purpose, legal basis and retention as recorded.</summary>
    public ColumnProtection Protection => new(Purpose, LegalBasis, RetentionDays);

    /// <summary>Personal data (special category included), or suspected personal data nobody has classified yet.</summary>
    public bool HoldsPersonalData => Classification is DataClassification.Personal or DataClassification.SpecialCategory
        || (Classification == DataClassification.Unclassified && PersonalDataSuspected);

    /// <summary>
    /// The data protection officer's decision on this column: its category and sensitive flag (see <see cref="Classify"/>)
    /// and, when <paramref name="protection"/> is given, its purpose, legal basis and retention, which then replace what was
    /// recorded (see <see cref="LegalBasisRules"/>). Without <paramref name="protection"/> what was recorded stays, and must
    /// still fit the new category. Refused for anyone but the DPO; nothing changes when refused.
    /// </summary>
    public ColumnDecisionResult Decide(DataClassification classification, bool sensitive, ColumnProtection? protection, string byUserId,
        string byUserName, IEnumerable<string> byRoles, DateTimeOffset now)
    {
        if (!ColumnClassificationRules.MayClassify(byRoles))
        {
            return ColumnDecisionResult.Refused(ClassificationRefusalReason.RoleRequired, ColumnClassificationRules.RoleRefusal);
        }

        if (ColumnClassificationRules.Problem(classification) is { } problem)
        {
            return ColumnDecisionResult.Refused(ClassificationRefusalReason.InvalidInput, problem);
        }

        var after = protection is null ? Protection : protection with { Purpose = string.IsNullOrWhiteSpace(protection.Purpose) ? null : protection.Purpose.Trim() };
        // Without protection (a classification alone, as before legal bases were recorded) a column with no legal basis yet
        // may take any category; one that records a legal basis must keep it fitting.
        var check = protection is not null || after.LegalBasis != LegalBasis.None;
        if (check && LegalBasisRules.Problem(classification, after) is { } protectionProblem)
        {
            return ColumnDecisionResult.Refused(ClassificationRefusalReason.InvalidInput, protection is null
                ? $"{Name} records the legal basis {LegalBasis}, which does not fit {classification}: give the legal basis with the classification. {protectionProblem}"
                : $"{Name}: {protectionProblem}");
        }

        var before = Protection;
        var classified = Apply(classification, sensitive, byUserId, byUserName, now);
        ColumnProtectionChange? protectionChange = null;
        if (after != before)
        {
            Purpose = after.Purpose;
            LegalBasis = after.LegalBasis;
            RetentionDays = after.RetentionDays;
            ClassifiedBy = byUserId;
            ClassifiedByName = byUserName;
            ClassifiedUtc = now.UtcDateTime;
            protectionChange = new ColumnProtectionChange(Ordinal, Name, before, after);
        }

        if (classified is not null || protectionChange is not null)
        {
            // The DPO decided on this version: it no longer merely repeats an earlier version's decision.
            CarriedFromVersion = null;
        }

        return new ColumnDecisionResult(null, null, classified, protectionChange);
    }

    /// <summary>Takes over the DPO's decision on <paramref name="previous"/>, the same column of version <paramref name="previousVersion"/>.</summary>
    internal void CarryFrom(DatasetColumn previous, int previousVersion)
    {
        Classification = previous.Classification;
        Sensitive = previous.Sensitive;
        Purpose = previous.Purpose;
        LegalBasis = previous.LegalBasis;
        RetentionDays = previous.RetentionDays;
        ClassifiedBy = previous.ClassifiedBy;
        ClassifiedByName = previous.ClassifiedByName;
        ClassifiedUtc = previous.ClassifiedUtc;
        CarriedFromVersion = previousVersion;
        ChangeSincePrevious = ColumnChangeSincePrevious.None;
    }

    /// <summary>Flags the column as new or retyped since the previous version: it stays unclassified for the DPO to decide.</summary>
    internal void MarkChanged(ColumnChangeSincePrevious change) => ChangeSincePrevious = change;
}
