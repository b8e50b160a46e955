namespace Portal.Domain.Audit;

/// <summary>
/// One entry of the append-only, hash-chained audit log. Created unsealed by <see cref="Record"/>; the data
/// layer seals it (sequence number and previous hash) in the same transaction as the change it records.
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry()
    {
    }

    public long Id { get; private set; }

    public long Sequence { get; private set; }

    public DateTime TimestampUtc { get; private set; }

    public ActorKind ActorKind { get; private set; }

    public string ActorId { get; private set; } = "";

    public string ActorName { get; private set; } = "";

    public string Action { get; private set; } = "";

    public string SubjectType { get; private set; } = "";

    public string SubjectId { get; private set; } = "";

    public string DetailsJson { get; private set; } = "{}";

    public string PreviousHash { get; private set; } = "";

    public string Hash { get; private set; } = "";

    public bool IsSealed => Hash.Length > 0;

    public AuditActor Actor => new(ActorKind, ActorId, ActorName);

    public AuditSubject Subject => new(SubjectType, SubjectId);

    public static AuditEntry Record(DateTimeOffset now, AuditActor actor, AuditAction action, AuditSubject subject, string? detailsJson = null)
    {
        ArgumentNullException.ThrowIfNull(action);
        return new AuditEntry
        {
            TimestampUtc = AuditCanonicalForm.NormalizeTime(now),
            ActorKind = actor.Kind,
            ActorId = Truncate(actor.Id, 450),
            ActorName = Truncate(actor.Name, 256),
            Action = Truncate(action.Name, 128),
            SubjectType = Truncate(subject.Type, 64),
            SubjectId = Truncate(subject.Id, 450),
            DetailsJson = AuditCanonicalForm.CanonicalizeDetails(detailsJson),
        };
    }

    /// <summary>Places the entry after <paramref name="previousHash"/> at <paramref name="sequence"/> and computes its hash.</summary>
    public void Seal(long sequence, string previousHash)
    {
        if (sequence < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), "Audit sequence numbers start at 1.");
        }

        Sequence = sequence;
        PreviousHash = previousHash;
        Hash = ComputeHash();
    }

    /// <summary>The hash this entry should have given its stored fields.</summary>
    public string ComputeHash() => AuditCanonicalForm.Hash(AuditCanonicalForm.Build(
        Sequence, DateTime.SpecifyKind(TimestampUtc, DateTimeKind.Utc), Actor, Action, Subject, DetailsJson, PreviousHash));

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
