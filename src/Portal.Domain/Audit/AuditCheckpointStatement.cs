using System.Globalization;
using System.Text;

namespace Portal.Domain.Audit;

/// <summary>
/// The exact bytes a checkpoint's signature covers: five lines of UTF-8 text joined by a single <c>\n</c>, no trailing newline.
/// <code>
/// portal-audit-checkpoint/v1
/// sequence=1234
/// headHash=&lt;64 lower-case hex characters&gt;
/// createdUtc=2026-12-02T23:10:00.123456Z
/// keyId=&lt;64 lower-case hex characters&gt;
/// </code>
/// Plain text on purpose: an auditor rebuilds it with <c>printf</c> and checks the DER signature with
/// <c>openssl dgst -sha256 -verify public-key.pem -signature sig.der statement.txt</c> (docs/audit-proofs.md).
/// </summary>
public static class AuditCheckpointStatement
{
    public const string Version = "portal-audit-checkpoint/v1";

    /// <summary>ECDSA on the NIST P-256 curve with SHA-256; the signature is DER-encoded (RFC 3279), as OpenSSL writes and reads it.</summary>
    public const string Algorithm = "ECDSA-P256-SHA256";

    public static string Text(long sequence, string headHash, DateTime createdUtc, string keyId) =>
        string.Join('\n',
            Version,
            "sequence=" + sequence.ToString(CultureInfo.InvariantCulture),
            "headHash=" + headHash,
            "createdUtc=" + FormatTime(createdUtc),
            "keyId=" + keyId);

    public static byte[] Bytes(long sequence, string headHash, DateTime createdUtc, string keyId) =>
        Encoding.UTF8.GetBytes(Text(sequence, headHash, createdUtc, keyId));

    /// <summary>ISO-8601 UTC to the microsecond, the precision checkpoints are stored with.</summary>
    public static string FormatTime(DateTime createdUtc) =>
        DateTime.SpecifyKind(createdUtc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
}
