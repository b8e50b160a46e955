namespace Portal.Domain.Datasets;

/// <summary>A DPO's classification of a column. Every column starts <see cref="Unclassified"/>.</summary>
public enum DataClassification
{
    Unclassified = 0,
    NotPersonal = 1,
    Personal = 2,
    SpecialCategory = 3,
}
