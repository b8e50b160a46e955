namespace Portal.Domain.Privacy;

/// <summary>One column whose purpose, legal basis or retention the DPO changed: what it was and what it is now.</summary>
public sealed record ColumnProtectionChange(int Ordinal, string Column, ColumnProtection Before, ColumnProtection After);
