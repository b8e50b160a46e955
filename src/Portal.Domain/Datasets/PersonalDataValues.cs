using Portal.Domain.Security;

namespace Portal.Domain.Datasets;

/// <summary>
/// Who may see the sample values of a personal column (<see cref="DatasetColumn.HoldsPersonalData"/>: its frequent
/// values, range and distribution): the data protection officer, who reviews them, and the dataset's owner (who created
/// it) — nobody else, whatever their role, not even someone who uploaded a later version. Everyone else who may read
/// datasets sees the column's name, type and counts only.
/// </summary>
public static class PersonalDataValues
{
    public static bool MayView(IEnumerable<string> viewerRoles, string viewerId, string datasetOwner) =>
        viewerRoles.Contains(Roles.DataProtectionOfficer, StringComparer.Ordinal)
        || (viewerId.Length > 0 && viewerId == datasetOwner);

    /// <summary>The profile without anything that shows a value: frequent values, numeric summary and histogram, date range.</summary>
    public static ColumnProfile Withhold(ColumnProfile column) =>
        column with { Numeric = null, Dates = null, TopValues = [], TopValuesAreApproximate = false };
}
