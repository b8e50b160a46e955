namespace Portal.Domain.Datasets;

/// <summary>
/// What saving a new version took over from the previous one: the columns whose classification was carried (same name and
/// type, classified there), the columns added and those retyped since (left unclassified for the DPO).
/// </summary>
public sealed record ClassificationCarryOver(int FromVersion, IReadOnlyList<string> Carried, IReadOnlyList<string> Added, IReadOnlyList<string> Retyped)
{
    public bool IsEmpty => Carried.Count == 0 && Added.Count == 0 && Retyped.Count == 0;
}
