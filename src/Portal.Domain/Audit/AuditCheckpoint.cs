namespace Portal.Domain.Audit;

/// <summary>
/// A signed statement that the audit chain's entry <see cref="Sequence"/> had the hash <see cref="HeadHash"/> at
/// <see cref="CreatedUtc"/>. The signature is made with a private key kept outside the database, and the checkpoint is also
/// published outside it; so a history rewritten consistently in the database (every hash recomputed) no longer matches
/// a checkpoint, and a forged checkpoint fails the signature check.
/// </summary>
public sealed class AuditCheckpoint
{
    private AuditCheckpoint()
    {
    }

    public long Id { get; private set; }

    public long Sequence { get; private set; }

    public string HeadHash { get; private set; } = "";

    public DateTime CreatedUtc { get; private set; }

    /// <summary>Fingerprint of the public key that verifies the signature.</summary>
    public string KeyId { get; private set; } = "";

    /// <summary>The signature algorithm, e.g. <c>ECDSA-P256-SHA256</c>.</summary>
    public string Algorithm { get; private set; } = "";

    /// <summary>Base64 signature over the checkpoint's canonical statement.</summary>
    public string Signature { get; private set; } = "";

    public static AuditCheckpoint Create(long sequence, string headHash, DateTimeOffset createdAt, string keyId, string algorithm, string signature) => new()
    {
        Sequence = sequence,
        HeadHash = headHash,
        CreatedUtc = AuditCanonicalForm.NormalizeTime(createdAt),
        KeyId = keyId,
        Algorithm = algorithm,
        Signature = signature,
    };
}
