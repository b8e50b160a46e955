namespace Portal.Domain.Privacy;

/// <summary>
/// What the data protection officer records about a column beyond its category: why it is processed, on what lawful
/// basis, and how many days a version may keep it (null: no limit recorded).
/// </summary>
public sealed record ColumnProtection(string? Purpose, LegalBasis LegalBasis, int? RetentionDays)
{
    public static readonly ColumnProtection None = new(null, LegalBasis.None, null);
}
