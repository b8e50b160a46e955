using System.Security.Cryptography;

namespace Portal.Domain.Audit;

/// <summary>
/// The public half of the checkpoint signing key. <see cref="KeyId"/> is its fingerprint: the lower-case hex SHA-256 of the
/// DER SubjectPublicKeyInfo (<c>openssl pkey -pubin -in public-key.pem -outform DER | sha256sum</c>).
/// </summary>
public sealed class AuditCheckpointPublicKey
{
    private readonly ECParameters parameters;

    private AuditCheckpointPublicKey(ECParameters parameters, string pem, string keyId)
    {
        this.parameters = parameters;
        Pem = pem;
        KeyId = keyId;
    }

    public string KeyId { get; }

    /// <summary>SubjectPublicKeyInfo PEM ("PUBLIC KEY"), what is published next to the checkpoints.</summary>
    public string Pem { get; }

    public static AuditCheckpointPublicKey FromParameters(ECParameters publicParameters)
    {
        using var ecdsa = ECDsa.Create(new ECParameters { Curve = publicParameters.Curve, Q = publicParameters.Q });
        var der = ecdsa.ExportSubjectPublicKeyInfo();
        return new AuditCheckpointPublicKey(ecdsa.ExportParameters(false), ecdsa.ExportSubjectPublicKeyInfoPem(),
            Convert.ToHexStringLower(SHA256.HashData(der)));
    }

    public static AuditCheckpointPublicKey FromPem(string pem)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportFromPem(pem);
        return FromParameters(ecdsa.ExportParameters(false));
    }

    /// <summary>
    /// Null when the checkpoint is signed by this key over exactly its sequence, head hash, time and key id; otherwise why it
    /// must not be trusted (another key, another algorithm, a signature that does not match its content).
    /// </summary>
    public string? Refusal(long sequence, string headHash, DateTime createdUtc, string keyId, string algorithm, string signature)
    {
        if (!string.Equals(algorithm, AuditCheckpointStatement.Algorithm, StringComparison.Ordinal))
        {
            return $"it names the algorithm '{algorithm}'; only {AuditCheckpointStatement.Algorithm} is accepted";
        }

        if (!string.Equals(keyId, KeyId, StringComparison.Ordinal))
        {
            return $"it names the key {Short(keyId)}, not the configured checkpoint key {Short(KeyId)}";
        }

        byte[] signatureBytes;
        try
        {
            signatureBytes = Convert.FromBase64String(signature);
        }
        catch (FormatException)
        {
            return "its signature is not base64";
        }

        using var ecdsa = ECDsa.Create(parameters);
        var valid = ecdsa.VerifyData(AuditCheckpointStatement.Bytes(sequence, headHash, createdUtc, keyId), signatureBytes,
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return valid ? null : "its signature does not match its content under the configured key (forged or altered)";
    }

    public string? Refusal(AuditCheckpoint checkpoint) =>
        Refusal(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.CreatedUtc, checkpoint.KeyId, checkpoint.Algorithm, checkpoint.Signature);

    private static string Short(string keyId) => keyId.Length > 16 ? keyId[..16] + "…" : keyId;
}
