namespace Portal.Domain.Datasets;

/// <summary>One column whose classification or sensitive flag a DPO changed: what it was and what it is now.</summary>
public sealed record ColumnClassificationChange(
    int Ordinal,
    string Column,
    DataClassification Before,
    bool SensitiveBefore,
    DataClassification After,
    bool SensitiveAfter);
