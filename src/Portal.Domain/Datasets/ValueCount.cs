namespace Portal.Domain.Datasets;

/// <summary>One of a column's most frequent values and how often it occurs.</summary>
public sealed record ValueCount(string Value, long Count);
