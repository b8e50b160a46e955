namespace Portal.Domain.Audit;

/// <summary>Walks audit entries in sequence order and reports the first broken link.</summary>
public sealed class AuditChainVerifier
{
    private long checkedCount;
    private long expectedSequence = 1;
    private string expectedPrevious = AuditCanonicalForm.GenesisHash;

    /// <summary>Feeds the next entry; returns the break if this entry breaks the chain, else null.</summary>
    public AuditChainBreak? Next(AuditEntry entry)
    {
        checkedCount++;
        if (entry.Sequence != expectedSequence)
        {
            return new AuditChainBreak(entry.Sequence,
                entry.Sequence > expectedSequence
                    ? $"Entry {expectedSequence} is missing: the chain jumps to {entry.Sequence}."
                    : $"Entry {entry.Sequence} appears out of order (expected {expectedSequence}).");
        }

        if (!string.Equals(entry.PreviousHash, expectedPrevious, StringComparison.Ordinal))
        {
            return new AuditChainBreak(entry.Sequence,
                $"Entry {entry.Sequence} does not link to entry {entry.Sequence - 1}: its previous-hash differs from that entry's hash.");
        }

        var recomputed = entry.ComputeHash();
        if (!string.Equals(recomputed, entry.Hash, StringComparison.Ordinal))
        {
            return new AuditChainBreak(entry.Sequence,
                $"Entry {entry.Sequence} was altered: its content no longer matches its hash.");
        }

        expectedSequence++;
        expectedPrevious = entry.Hash;
        return null;
    }

    public AuditVerification Complete(AuditChainBreak? broken, DateTimeOffset verifiedAt) => new(
        broken is null, broken is null ? checkedCount : checkedCount - 1, broken?.Sequence, broken?.Reason,
        broken is null ? expectedPrevious : null, verifiedAt);
}

/// <summary>Where the chain breaks and why.</summary>
public sealed record AuditChainBreak(long Sequence, string Reason);

/// <summary>Result of walking the chain: intact, or the first broken entry with the reason.</summary>
public sealed record AuditVerification(
    bool Intact, long EntriesVerified, long? BrokenAtSequence, string? Reason, string? HeadHash, DateTimeOffset VerifiedAt);
