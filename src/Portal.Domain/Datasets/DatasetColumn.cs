namespace Portal.Domain.Datasets;

/// <summary>A column of a dataset version, with the automatic personal-data flag and the DPO's classification.</summary>
public sealed class DatasetColumn
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

    public static DatasetColumn Create(int ordinal, string name, ColumnType type, bool personalDataSuspected, string? suspicionReason) => new()
    {
        Ordinal = ordinal,
        Name = name,
        Type = type,
        PersonalDataSuspected = personalDataSuspected,
        SuspicionReason = suspicionReason is { Length: > 512 } ? suspicionReason[..512] : suspicionReason,
    };
}
