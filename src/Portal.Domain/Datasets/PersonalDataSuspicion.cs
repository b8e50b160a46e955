namespace Portal.Domain.Datasets;

/// <summary>Why a column was flagged for DPO review: the evidence found by column name and by sampled values.</summary>
public sealed record PersonalDataSuspicion(IReadOnlyList<PersonalDataEvidence> Evidence)
{
    public IReadOnlyList<PersonalDataKind> Kinds => [.. Evidence.Select(e => e.Kind).Distinct().Order()];
}
