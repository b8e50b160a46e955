namespace Portal.Domain.Datasets;

/// <summary>Earliest and latest value of a date column (UTC when the values carried an offset).</summary>
public sealed record DateRange(DateTime Min, DateTime Max);
