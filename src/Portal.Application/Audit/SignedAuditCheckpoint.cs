using Portal.Domain.Audit;

namespace Portal.Application.Audit;

/// <summary>
/// A checkpoint as published (one JSON file per checkpoint), listed by the API and handed to auditors: the signed fields,
/// the exact <see cref="Statement"/> the signature covers, and the signature (base64 DER).
/// </summary>
public sealed record SignedAuditCheckpoint(
    string Format, long Id, long Sequence, string HeadHash, DateTime CreatedUtc, string KeyId, string Algorithm, string Signature, string Statement)
{
    public static SignedAuditCheckpoint From(AuditCheckpoint checkpoint) => new(
        AuditCheckpointStatement.Version, checkpoint.Id, checkpoint.Sequence, checkpoint.HeadHash,
        DateTime.SpecifyKind(checkpoint.CreatedUtc, DateTimeKind.Utc), checkpoint.KeyId, checkpoint.Algorithm, checkpoint.Signature,
        AuditCheckpointStatement.Text(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.CreatedUtc, checkpoint.KeyId));

    public KnownAuditCheckpoint ToKnown(AuditCheckpointSource source) =>
        new(Id, Sequence, HeadHash, DateTime.SpecifyKind(CreatedUtc, DateTimeKind.Utc), KeyId, Algorithm, Signature, source);
}

/// <summary>The checkpoints page and API: where they are published, under which key, and the latest ones.</summary>
public sealed record AuditCheckpointOverview(
    bool Configured, string? KeyId, string? PublicKeyPem, string PublishDirectory, int IntervalMinutes, long Total,
    IReadOnlyList<SignedAuditCheckpoint> Latest);

/// <summary>What an auditor's checkpoint says about the chain today: <see cref="Valid"/> when the chain up to its entry is intact
/// and that entry still has the signed hash.</summary>
public sealed record SubmittedCheckpointVerdict(bool Valid, string Outcome, string Message, long Sequence, string SignedHash, string? CurrentHash);

/// <summary>An auditor's checkpoint as posted: every field is checked before anything is trusted.</summary>
public sealed record SubmittedAuditCheckpoint(
    long? Id, long? Sequence, string? HeadHash, DateTime? CreatedUtc, string? KeyId, string? Algorithm, string? Signature);
