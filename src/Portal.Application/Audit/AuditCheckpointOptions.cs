using System.ComponentModel.DataAnnotations;

namespace Portal.Application.Audit;

/// <summary>
/// Signed checkpoints of the audit chain (section <c>AuditCheckpoints</c>, docs/audit-proofs.md). The signing key is a secret
/// kept outside the database and the repository, configured like any other secret.
/// </summary>
public sealed class AuditCheckpointOptions
{
    public const string SectionName = "AuditCheckpoints";

    /// <summary>
    /// PEM file of the ECDSA P-256 private key (PKCS#8 or SEC1), e.g. <c>/run/secrets/portal-audit-key.pem</c>. Checked at start:
    /// it must exist and hold a P-256 private key. Blank in Development: a key is generated once into <c>{DataDirectory}/keys/</c>
    /// (with a warning). Blank elsewhere: no checkpoints are signed, verification says so, and a warning is logged at start.
    /// </summary>
    public string? SigningKeyPath { get; set; }

    /// <summary>
    /// Folder the signed checkpoints (one JSON file each) and the public key are published to, outside the database: a
    /// write-once mount or a folder another system collects. Blank: <c>{DataDirectory}/audit-checkpoints</c>.
    /// </summary>
    public string? PublishDirectory { get; set; }

    /// <summary>How often a worker signs the chain head when it moved (1-10080 minutes).</summary>
    [Range(1, 10080)]
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Most entries one inclusion proof may span (1-1,000,000); a longer one is refused with 400 (use a nearer checkpoint).</summary>
    [Range(1, 1_000_000)]
    public int MaxProofEntries { get; set; } = 100_000;

    public TimeSpan Interval => TimeSpan.FromMinutes(IntervalMinutes);
}
