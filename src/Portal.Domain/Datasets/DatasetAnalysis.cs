namespace Portal.Domain.Datasets;

/// <summary>Result of analysing one CSV: the number of data rows (header excluded) and one profile per column, in file order.</summary>
public sealed record DatasetAnalysis(long Rows, IReadOnlyList<ColumnProfile> Columns)
{
    public IReadOnlyList<ColumnSchema> Schema => [.. Columns.Select(column => column.Schema)];
}
