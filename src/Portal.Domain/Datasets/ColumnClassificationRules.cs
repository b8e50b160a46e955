using Portal.Domain.Security;

namespace Portal.Domain.Datasets;

/// <summary>
/// Who may classify dataset columns, to what, and what a classification means for the promotion gates: the one place
/// these rules are stated.
/// </summary>
public static class ColumnClassificationRules
{
    /// <summary>What a column may be classified as: every value but <see cref="DataClassification.Unclassified"/>.</summary>
    public static readonly IReadOnlyList<DataClassification> Allowed =
        [DataClassification.NotPersonal, DataClassification.Personal, DataClassification.SpecialCategory];

    public const string RoleRefusal = "Only the data protection officer may classify dataset columns.";

    /// <summary>Only the data protection officer classifies data.</summary>
    public static bool MayClassify(IEnumerable<string> roles) => roles.Contains(Roles.DataProtectionOfficer, StringComparer.Ordinal);

    /// <summary>What is wrong with <paramref name="classification"/> as a DPO's decision; null when it is one of <see cref="Allowed"/>.</summary>
    public static string? Problem(DataClassification classification) =>
        Allowed.Contains(classification) ? null : $"classification must be one of {AllowedText}.";

    /// <summary>
    /// One of <see cref="Allowed"/> by its exact name (any case, surrounding blanks ignored), or null: never a number, and
    /// never a comma-separated combination that <see cref="Enum.TryParse{TEnum}(string, bool, out TEnum)"/> would add up.
    /// </summary>
    public static DataClassification? Parse(string? text) =>
        text is null ? null : Allowed.Select(a => (DataClassification?)a).FirstOrDefault(a => string.Equals(a.ToString(), text.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The allowed values, for messages: "NotPersonal, Personal or SpecialCategory".</summary>
    public static string AllowedText => string.Join(", ", Allowed.Take(Allowed.Count - 1)) + " or " + Allowed[^1];

    /// <summary>A special-category column is always a protected attribute; any other is one when the DPO says so.</summary>
    public static bool EffectiveSensitive(DataClassification classification, bool sensitive) =>
        sensitive || classification == DataClassification.SpecialCategory;

    /// <summary>
    /// True when a model trained on a dataset with this column needs the DPO's sign-off: the column holds personal data
    /// (special category included) or nobody has classified it yet.
    /// </summary>
    public static bool RequiresSignOff(DataClassification classification) => classification != DataClassification.NotPersonal;

    /// <summary>What confirming the detector's suggestion sets an unclassified column to.</summary>
    public static DataClassification Suggestion(bool personalDataSuspected) =>
        personalDataSuspected ? DataClassification.Personal : DataClassification.NotPersonal;
}
