namespace Portal.Domain.Datasets;

/// <summary>What schema inference decided a CSV column holds.</summary>
public enum ColumnType
{
    Numeric = 0,
    Categorical = 1,
    Boolean = 2,
    Date = 3,
    Text = 4,
}
