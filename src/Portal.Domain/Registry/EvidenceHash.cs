using System.Text.Json;
using System.Text.Json.Serialization;
using Portal.Domain.Audit;

namespace Portal.Domain.Registry;

/// <summary>
/// The SHA-256 a promotion's frozen evidence is known by: the evidence record serialized to JSON (camelCase, numbers as
/// System.Text.Json writes them: invariant, shortest round-trip; non-finite numbers as "NaN"/"Infinity" strings), brought to
/// the audit chain's canonical form (<see cref="AuditCanonicalForm.CanonicalizeDetails"/>: keys sorted ordinally at every
/// depth, no whitespace) and hashed as the chain hashes (<see cref="AuditCanonicalForm.Hash"/>). Key order never changes it;
/// any value does.
/// </summary>
public static class EvidenceHash
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The canonical JSON of an evidence record.</summary>
    public static string Canonicalize<T>(T evidence) => AuditCanonicalForm.CanonicalizeDetails(JsonSerializer.Serialize(evidence, Options));

    /// <summary>The canonical form of evidence already in JSON.</summary>
    public static string CanonicalizeJson(string json) => AuditCanonicalForm.CanonicalizeDetails(json);

    /// <summary>The lower-case hex SHA-256 of the evidence record's canonical JSON.</summary>
    public static string Compute<T>(T evidence) => AuditCanonicalForm.Hash(Canonicalize(evidence));

    /// <summary>The lower-case hex SHA-256 of evidence already in JSON, whatever its key order and whitespace.</summary>
    public static string ComputeFromJson(string json) => AuditCanonicalForm.Hash(CanonicalizeJson(json));
}
