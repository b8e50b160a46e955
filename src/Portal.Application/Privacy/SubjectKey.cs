using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Portal.Application.Privacy;

/// <summary>
/// The key of the erasure index and the one way a value becomes an index entry: the value normalised (<see cref="Normalise"/>),
/// HMAC-SHA256 under the key, the first 8 bytes read as a big-endian number. Without the key nobody can compute an entry, so an
/// index file cannot be searched or brute-forced; <see cref="KeyId"/> is a fingerprint that names the key without revealing it.
/// </summary>
public sealed class SubjectKey
{
    public const int MinimumKeyBytes = 32;

    private readonly byte[] key;

    public SubjectKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < MinimumKeyBytes)
        {
            throw new ArgumentException($"The erasure-index key must be at least {MinimumKeyBytes} bytes.", nameof(key));
        }

        this.key = [.. key];
        KeyId = Fingerprint(this.key);
    }

    /// <summary>16 hex digits of SHA-256 over a label and the key: stored with every index so a rotated key is noticed.</summary>
    public string KeyId { get; }

    /// <summary>
    /// Trimmed, Unicode NFC, lower-case (invariant): a customer id or e-mail typed with other case or stray spaces still finds
    /// its subject. Case is folded because key columns (ids, e-mail addresses) are compared that way by the people who search
    /// them; two values differing only by case are one subject to the index.
    /// </summary>
    public static string Normalise(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        if (!trimmed.IsNormalized(NormalizationForm.FormC))
        {
            trimmed = trimmed.Normalize(NormalizationForm.FormC);
        }

        return trimmed.ToLowerInvariant();
    }

    /// <summary>The index entry of <paramref name="value"/> (normalised here); null for a value that is empty once trimmed (never indexed).</summary>
    public ulong? Hash(string value)
    {
        var normalised = Normalise(value);
        return normalised.Length == 0 ? null : HashNormalised(normalised);
    }

    /// <summary>The entry of an already normalised, non-empty value.</summary>
    public ulong HashNormalised(string normalised)
    {
        var byteCount = Encoding.UTF8.GetByteCount(normalised);
        var rented = byteCount <= 512 ? null : new byte[byteCount];
        Span<byte> bytes = rented ?? stackalloc byte[512];
        var written = Encoding.UTF8.GetBytes(normalised, bytes);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, bytes[..written], mac);
        return BinaryPrimitives.ReadUInt64BigEndian(mac);
    }

    /// <summary>An entry as text (16 lower-case hex digits), as audit entries and erasure requests carry it.</summary>
    public static string Format(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    private static string Fingerprint(byte[] key)
    {
        var label = "portal-subject-index-key-id:"u8;
        var input = new byte[label.Length + key.Length];
        label.CopyTo(input);
        key.CopyTo(input, label.Length);
        return Convert.ToHexStringLower(SHA256.HashData(input))[..16];
    }
}
