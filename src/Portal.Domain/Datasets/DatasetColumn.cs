namespace Portal.Domain.Datasets;

/// <summary>A column of a dataset version, with the automatic personal-data flag and the DPO's classification.</summary>
public sealed partial class DatasetColumn
{
    private DatasetColumn()
    {
    }

    public DatasetVersionId DatasetVersionId { get; private set; }

    public int Ordinal { get; private set; }

    public string Name { get; private set; } = "";

    public ColumnType Type { get; private set; }

    /// <summary>True when detection thinks this column may hold personal data: a DPO should review it.</summary>
    public bool PersonalDataSuspected { get; private set; }

    public string? SuspicionReason { get; private set; }

    public DataClassification Classification { get; private set; } = DataClassification.Unclassified;

    /// <summary>
    /// A protected attribute the fairness gate compares groups on (age, gender, …), whatever its classification; always
    /// true for <see cref="DataClassification.SpecialCategory"/>.
    /// </summary>
    public bool Sensitive { get; private set; }

    /// <summary>User id of the DPO who last classified the column; null while it is unclassified.</summary>
    public string? ClassifiedBy { get; private set; }

    /// <summary>That DPO's name as shown to people.</summary>
    public string? ClassifiedByName { get; private set; }

    public DateTime? ClassifiedUtc { get; private set; }

    /// <summary>Why the column is processed (the DPO's words); null until recorded.</summary>
    public string? Purpose { get; private set; }

    /// <summary>The lawful basis (Art. 6, and for special categories Art. 9) the DPO recorded.</summary>
    public Privacy.LegalBasis LegalBasis { get; private set; }

    /// <summary>How many days the data may be kept after the version's upload; null: no limit recorded.</summary>
    public int? RetentionDays { get; private set; }

    /// <summary>The version number this column's classification was carried from at upload; null when set on this version.</summary>
    public int? CarriedFromVersion { get; private set; }

    /// <summary>How the column differs from the same-named column of the previous version (added, retyped, or not at all).</summary>
    public ColumnChangeSincePrevious ChangeSincePrevious { get; private set; }

    public static DatasetColumn Create(int ordinal, string name, ColumnType type, bool personalDataSuspected, string? suspicionReason) => new()
    {
        Ordinal = ordinal,
        Name = name,
        Type = type,
        PersonalDataSuspected = personalDataSuspected,
        SuspicionReason = suspicionReason is { Length: > 512 } ? suspicionReason[..512] : suspicionReason,
    };

    /// <summary>
    /// The data protection officer's classification of this column, with whether it is a protected attribute for the
    /// fairness gate (a special-category column always is). Refused for anyone else and for
    /// <see cref="DataClassification.Unclassified"/> or an undefined value; the result lists the change, or none when
    /// the column already was so (then who and when stay as they were).
    /// </summary>
    public ClassificationResult Classify(DataClassification classification, bool sensitive, string byUserId, string byUserName,
        IEnumerable<string> byRoles, DateTimeOffset now)
    {
        if (!ColumnClassificationRules.MayClassify(byRoles))
        {
            return ClassificationResult.Refused(ClassificationRefusalReason.RoleRequired, ColumnClassificationRules.RoleRefusal);
        }

        if (ColumnClassificationRules.Problem(classification) is { } problem)
        {
            return ClassificationResult.Refused(ClassificationRefusalReason.InvalidInput, problem);
        }

        return ClassificationResult.Done(Apply(classification, sensitive, byUserId, byUserName, now) is { } change ? [change] : []);
    }

    /// <summary>Sets the classification (the caller has checked who and what); null when nothing changes.</summary>
    internal ColumnClassificationChange? Apply(DataClassification classification, bool sensitive, string byUserId, string byUserName, DateTimeOffset now)
    {
        var effective = ColumnClassificationRules.EffectiveSensitive(classification, sensitive);
        if (classification == Classification && effective == Sensitive)
        {
            return null;
        }

        var change = new ColumnClassificationChange(Ordinal, Name, Classification, Sensitive, classification, effective);
        Classification = classification;
        Sensitive = effective;
        ClassifiedBy = byUserId;
        ClassifiedByName = byUserName;
        ClassifiedUtc = now.UtcDateTime;
        return change;
    }
}
