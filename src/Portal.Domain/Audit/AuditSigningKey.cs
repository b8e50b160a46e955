using System.Security.Cryptography;

namespace Portal.Domain.Audit;

/// <summary>
/// The private key that signs audit checkpoints (ECDSA P-256). It lives outside the database (a PEM file the host is
/// configured with); its <see cref="PublicKey"/> is what verification and auditors trust.
/// </summary>
public sealed class AuditSigningKey : IDisposable
{
    private readonly ECDsa key;

    private AuditSigningKey(ECDsa key)
    {
        this.key = key;
        PublicKey = AuditCheckpointPublicKey.FromParameters(key.ExportParameters(includePrivateParameters: false));
    }

    public AuditCheckpointPublicKey PublicKey { get; }

    public string KeyId => PublicKey.KeyId;

    public static AuditSigningKey Generate() => new(ECDsa.Create(ECCurve.NamedCurves.nistP256));

    /// <summary>Reads a PEM private key (PKCS#8 "PRIVATE KEY" or SEC1 "EC PRIVATE KEY"); refuses anything but an EC P-256 key.</summary>
    public static AuditSigningKey FromPem(string pem)
    {
        var ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportFromPem(pem);
            var parameters = ecdsa.ExportParameters(includePrivateParameters: true);
            if (parameters.D is null)
            {
                throw new CryptographicException("The PEM holds no private key.");
            }

            if (parameters.Curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                throw new CryptographicException("The key is not on the P-256 curve (prime256v1).");
            }

            return new AuditSigningKey(ecdsa);
        }
        catch
        {
            ecdsa.Dispose();
            throw;
        }
    }

    /// <summary>The private key as PKCS#8 PEM (written once, when a Development key is generated).</summary>
    public string ExportPrivateKeyPem() => key.ExportPkcs8PrivateKeyPem();

    /// <summary>Signs the chain head: entry <paramref name="sequence"/> has hash <paramref name="headHash"/>.</summary>
    public AuditCheckpoint Sign(long sequence, string headHash, DateTimeOffset createdAt)
    {
        var created = AuditCanonicalForm.NormalizeTime(createdAt);
        var signature = key.SignData(AuditCheckpointStatement.Bytes(sequence, headHash, created, KeyId),
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        return AuditCheckpoint.Create(sequence, headHash, created, KeyId, AuditCheckpointStatement.Algorithm, Convert.ToBase64String(signature));
    }

    public void Dispose() => key.Dispose();
}
