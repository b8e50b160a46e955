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
        string? recomputed;
        try
        {
            recomputed = entry.ComputeHash();
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or FormatException)
        {
            recomputed = null;
        }

        return Next(entry.Sequence, entry.PreviousHash, entry.Hash, recomputed);
    }

    /// <summary>
    /// Feeds the next entry as stored fields: its sequence, previous hash, stored hash and the hash recomputed from its
    /// content (null when the content cannot be read, e.g. details that are no longer JSON). Returns the break, else null.
    /// </summary>
    public AuditChainBreak? Next(long sequence, string previousHash, string hash, string? recomputed)
    {
        checkedCount++;
        if (sequence != expectedSequence)
        {
            return new AuditChainBreak(sequence,
                sequence > expectedSequence
                    ? $"Entry {expectedSequence} is missing: the chain jumps to {sequence}."
                    : $"Entry {sequence} appears out of order (expected {expectedSequence}).");
        }

        if (!string.Equals(previousHash, expectedPrevious, StringComparison.Ordinal))
        {
            return new AuditChainBreak(sequence,
                $"Entry {sequence} does not link to entry {sequence - 1}: its previous-hash differs from that entry's hash.");
        }

        if (!string.Equals(recomputed, hash, StringComparison.Ordinal))
        {
            return new AuditChainBreak(sequence,
                $"Entry {sequence} was altered: its content no longer matches its hash.");
        }

        expectedSequence++;
        expectedPrevious = hash;
        return null;
    }

    /// <summary>Sequence of the last entry verified so far (0 before the first).</summary>
    public long LastVerifiedSequence => expectedSequence - 1;

    public AuditVerification Complete(AuditChainBreak? broken, DateTimeOffset verifiedAt) => new(
        broken is null, broken is null ? checkedCount : checkedCount - 1, broken?.Sequence, broken?.Reason,
        broken is null ? expectedPrevious : null, verifiedAt);
}

/// <summary>Where the chain breaks and why.</summary>
public sealed record AuditChainBreak(long Sequence, string Reason);

/// <summary>Result of walking the chain: intact, or the first broken entry with the reason.</summary>
public sealed record AuditVerification(
    bool Intact, long EntriesVerified, long? BrokenAtSequence, string? Reason, string? HeadHash, DateTimeOffset VerifiedAt);
