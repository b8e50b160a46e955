using Portal.Domain.Privacy;

namespace Portal.Domain.Datasets;

/// <summary>The DPO's decisions on a version's columns beyond their category, and their carry-over from the previous version.</summary>
public sealed partial class DatasetVersion
{
    /// <summary>The DPO's decision on the column named <paramref name="column"/> (see <see cref="DatasetColumn.Decide"/>); refused when there is none.</summary>
    public ColumnDecisionResult Decide(string column, DataClassification classification, bool sensitive, ColumnProtection? protection,
        string byUserId, string byUserName, IEnumerable<string> byRoles, DateTimeOffset now)
    {
        var roles = byRoles.ToList();
        if (!ColumnClassificationRules.MayClassify(roles))
        {
            return ColumnDecisionResult.Refused(ClassificationRefusalReason.RoleRequired, ColumnClassificationRules.RoleRefusal);
        }

        return FindColumn(column) is { } found
            ? found.Decide(classification, sensitive, protection, byUserId, byUserName, roles, now)
            : ColumnDecisionResult.Refused(ClassificationRefusalReason.UnknownColumn,
                $"Version {Version} of this dataset has no column '{column}'; its columns are {string.Join(", ", Columns.OrderBy(c => c.Ordinal).Select(c => c.Name))}.");
    }

    /// <summary>
    /// Carries the DPO's decisions from <paramref name="previous"/> (the version before this one) to this new version: a
    /// column of the same name (exact, else ignoring case) and type takes over its category, sensitive flag, purpose, legal
    /// basis and retention when it was classified there; a column the previous version did not have is flagged
    /// <see cref="ColumnChangeSincePrevious.Added"/>, one whose type changed <see cref="ColumnChangeSincePrevious.Retyped"/>;
    /// both stay unclassified. Only for a version not saved yet.
    /// </summary>
    public ClassificationCarryOver CarryClassificationFrom(DatasetVersion previous)
    {
        ArgumentNullException.ThrowIfNull(previous);
        if (previous.DatasetId != DatasetId || previous.Version >= Version)
        {
            throw new ArgumentException("Classification is carried from an earlier version of the same dataset.", nameof(previous));
        }

        List<string> carried = [], added = [], retyped = [];
        foreach (var column in Columns.OrderBy(c => c.Ordinal))
        {
            var before = previous.FindColumn(column.Name);
            if (before is null)
            {
                column.MarkChanged(ColumnChangeSincePrevious.Added);
                added.Add(column.Name);
            }
            else if (before.Type != column.Type)
            {
                column.MarkChanged(ColumnChangeSincePrevious.Retyped);
                retyped.Add(column.Name);
            }
            else if (before.Classification != DataClassification.Unclassified)
            {
                column.CarryFrom(before, previous.Version);
                carried.Add(column.Name);
            }
        }

        return new ClassificationCarryOver(previous.Version, carried, added, retyped);
    }
}
