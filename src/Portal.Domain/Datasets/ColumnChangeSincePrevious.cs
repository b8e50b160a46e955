namespace Portal.Domain.Datasets;

/// <summary>How a column of a new dataset version differs from the previous version's column of the same name.</summary>
public enum ColumnChangeSincePrevious
{
    /// <summary>Same name and type as in the previous version, or the first version.</summary>
    None = 0,

    /// <summary>The previous version had no column of that name: the DPO should classify it.</summary>
    Added = 1,

    /// <summary>The previous version's column of that name had another type: its classification was not carried.</summary>
    Retyped = 2,
}
