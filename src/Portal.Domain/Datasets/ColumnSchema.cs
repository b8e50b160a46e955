namespace Portal.Domain.Datasets;

/// <summary>One column of a dataset version: its position, header name and inferred type.</summary>
public sealed record ColumnSchema(int Ordinal, string Name, ColumnType Type);
