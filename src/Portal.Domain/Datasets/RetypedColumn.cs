namespace Portal.Domain.Datasets;

/// <summary>A column present in both versions whose inferred type changed.</summary>
public sealed record RetypedColumn(string Name, ColumnType OldType, ColumnType NewType);
