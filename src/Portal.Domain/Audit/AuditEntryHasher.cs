using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Portal.Domain.Audit;

/// <summary>
/// Computes entry hashes exactly as <see cref="AuditCanonicalForm.Build"/> and <see cref="AuditCanonicalForm.Hash"/> do, but
/// reusing one buffer and one JSON writer, so walking a million entries allocates next to nothing per entry. One instance per
/// walk (not thread-safe).
/// </summary>
public sealed class AuditEntryHasher : IDisposable
{
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private readonly Utf8JsonWriter writer;
    private readonly byte[] digest = new byte[SHA256.HashSizeInBytes];
    private readonly char[] time = new char[27];

    public AuditEntryHasher()
    {
        writer = new Utf8JsonWriter(buffer);
    }

    /// <summary>The hash an entry with these stored fields should have; throws <see cref="JsonException"/> or
    /// <see cref="ArgumentException"/> when the details are not JSON (an entry altered outside the portal).</summary>
    public string Hash(long sequence, DateTime timestampUtc, string actorKind, string actorId, string actorName, string action,
        string subjectType, string subjectId, string canonicalDetails, string previousHash)
    {
        Write(sequence, timestampUtc, actorKind, actorId, actorName, action, subjectType, subjectId, canonicalDetails, previousHash);
        SHA256.HashData(buffer.WrittenSpan, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>The canonical form itself (what an auditor hashes), as <see cref="AuditCanonicalForm.Build"/> returns it.</summary>
    public string Canonical(long sequence, DateTime timestampUtc, string actorKind, string actorId, string actorName, string action,
        string subjectType, string subjectId, string canonicalDetails, string previousHash)
    {
        Write(sequence, timestampUtc, actorKind, actorId, actorName, action, subjectType, subjectId, canonicalDetails, previousHash);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void Dispose() => writer.Dispose();

    private void Write(long sequence, DateTime timestampUtc, string actorKind, string actorId, string actorName, string action,
        string subjectType, string subjectId, string canonicalDetails, string previousHash)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        writer.WriteNumber("seq", sequence);
        timestampUtc.TryFormat(time, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        writer.WriteString("ts", time.AsSpan(0, written));
        writer.WriteString("actorKind", actorKind);
        writer.WriteString("actorId", actorId);
        writer.WriteString("actorName", actorName);
        writer.WriteString("action", action);
        writer.WriteString("subjectType", subjectType);
        writer.WriteString("subjectId", subjectId);
        writer.WritePropertyName("details");
        writer.WriteRawValue(canonicalDetails, skipInputValidation: false);
        writer.WriteString("prev", previousHash);
        writer.WriteEndObject();
        writer.Flush();
    }
}
