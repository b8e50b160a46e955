using System.Globalization;

namespace Portal.Domain.Audit;

/// <summary>Where a checkpoint was found: the database, the publish directory (outside the database), or both alike.</summary>
public enum AuditCheckpointSource
{
    Database = 0,
    Published = 1,
    DatabaseAndPublished = 2,
}

/// <summary>A checkpoint as found in one place, before anyone trusts it.</summary>
public sealed record KnownAuditCheckpoint(
    long Id, long Sequence, string HeadHash, DateTime CreatedUtc, string KeyId, string Algorithm, string Signature, AuditCheckpointSource Source)
{
    public static KnownAuditCheckpoint From(AuditCheckpoint checkpoint, AuditCheckpointSource source) => new(
        checkpoint.Id, checkpoint.Sequence, checkpoint.HeadHash, checkpoint.CreatedUtc, checkpoint.KeyId, checkpoint.Algorithm,
        checkpoint.Signature, source);

    /// <summary>Same signed content (the source aside).</summary>
    public bool SameSignedContent(KnownAuditCheckpoint other) =>
        Id == other.Id && Sequence == other.Sequence && HeadHash == other.HeadHash && CreatedUtc == other.CreatedUtc
        && KeyId == other.KeyId && Algorithm == other.Algorithm && Signature == other.Signature;

    public string Describe() =>
        $"checkpoint #{Id} (entry {Sequence}, signed {AuditCheckpointStatement.FormatTime(CreatedUtc)})";
}

/// <summary>A checkpoint that verified and whose entry matched.</summary>
public sealed record ConfirmedAuditCheckpoint(long Id, long Sequence, string HeadHash, DateTime CreatedUtc);

/// <summary>
/// What the checkpoints say about the chain: <see cref="Consistent"/> when every checkpoint found is validly signed, present in
/// both places and matched by the chain; otherwise <see cref="Problems"/> says what was rewritten, deleted or forged.
/// </summary>
public sealed record AuditCheckpointReport(
    bool Configured, int Known, int Confirmed, ConfirmedAuditCheckpoint? LastConfirmed, IReadOnlyList<string> Problems, IReadOnlyList<string> Notes)
{
    public bool Consistent => Problems.Count == 0;

    public static AuditCheckpointReport NotConfigured(string why) => new(false, 0, 0, null, [], [why]);
}

/// <summary>The chain walk plus the checkpoint outcome: <see cref="Trustworthy"/> only when both hold.</summary>
public sealed record AuditVerificationReport(
    bool Intact, long EntriesVerified, long? BrokenAtSequence, string? Reason, string? HeadHash, DateTimeOffset VerifiedAt,
    AuditCheckpointReport Checkpoints)
{
    public bool Trustworthy => Intact && Checkpoints.Consistent;

    public static AuditVerificationReport From(AuditVerification chain, AuditCheckpointReport checkpoints) => new(
        chain.Intact, chain.EntriesVerified, chain.BrokenAtSequence, chain.Reason, chain.HeadHash, chain.VerifiedAt, checkpoints);
}

/// <summary>
/// Checks the chain against every checkpoint known from the database and from the publish directory, during the same streaming
/// walk as <see cref="AuditChainVerifier"/>: a checkpoint whose signature fails is refused (never trusted); a trusted one whose
/// entry has another hash proves a rewritten history, even when every hash was recomputed and the chain itself is intact.
/// </summary>
public sealed class AuditCheckpointVerifier
{
    private readonly Dictionary<long, List<KnownAuditCheckpoint>> expected = [];
    private readonly HashSet<long> matched = [];
    private readonly List<string> problems = [];
    private readonly List<string> notes = [];
    private readonly int known;
    private ConfirmedAuditCheckpoint? lastConfirmed;
    private int confirmed;

    /// <param name="key">The configured public key; every checkpoint is judged under it.</param>
    /// <param name="database">Checkpoint rows of the database.</param>
    /// <param name="published">Checkpoints read from the publish directory.</param>
    public AuditCheckpointVerifier(AuditCheckpointPublicKey key, IEnumerable<KnownAuditCheckpoint> database, IEnumerable<KnownAuditCheckpoint> published)
    {
        ArgumentNullException.ThrowIfNull(key);
        var inDatabase = database.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        var outside = published.GroupBy(c => c.Id).ToDictionary(g => g.Key, g => g.First());
        var all = new List<KnownAuditCheckpoint>();
        foreach (var (id, row) in inDatabase)
        {
            if (outside.TryGetValue(id, out var file))
            {
                if (row.SameSignedContent(file))
                {
                    all.Add(row with { Source = AuditCheckpointSource.DatabaseAndPublished });
                }
                else
                {
                    problems.Add($"The database row of checkpoint #{id} differs from the published {file.Describe()}: the row was rewritten.");
                    all.Add(row);
                    all.Add(file);
                }
            }
            else
            {
                notes.Add($"{Capitalise(row.Describe())} is not published yet.");
                all.Add(row);
            }
        }

        foreach (var (id, file) in outside)
        {
            if (!inDatabase.ContainsKey(id))
            {
                problems.Add($"{Capitalise(file.Describe())} is published but missing from the database: checkpoints were deleted.");
                all.Add(file);
            }
        }

        known = all.Select(c => c.Id).Distinct().Count();
        foreach (var checkpoint in all.OrderBy(c => c.Sequence).ThenBy(c => c.Id))
        {
            var refusal = key.Refusal(checkpoint.Sequence, checkpoint.HeadHash, checkpoint.CreatedUtc, checkpoint.KeyId, checkpoint.Algorithm, checkpoint.Signature);
            if (refusal is not null)
            {
                problems.Add($"{Capitalise(checkpoint.Describe())} found in the {SourceText(checkpoint.Source)} is refused and not trusted: {refusal}.");
                continue;
            }

            if (!expected.TryGetValue(checkpoint.Sequence, out var list))
            {
                expected[checkpoint.Sequence] = list = [];
            }

            list.Add(checkpoint);
        }
    }

    /// <summary>True when some trusted checkpoint covers entry <paramref name="sequence"/> (a cheap test before <see cref="Observe"/>).</summary>
    public bool Covers(long sequence) => expected.ContainsKey(sequence);

    /// <summary>Feeds a verified entry's hash; checkpoints signed at its sequence must name exactly that hash.</summary>
    public void Observe(long sequence, string hash)
    {
        if (!expected.TryGetValue(sequence, out var checkpoints))
        {
            return;
        }

        matched.Add(sequence);
        foreach (var checkpoint in checkpoints)
        {
            if (string.Equals(checkpoint.HeadHash, hash, StringComparison.Ordinal))
            {
                confirmed++;
                if (lastConfirmed is null || checkpoint.Sequence >= lastConfirmed.Sequence)
                {
                    lastConfirmed = new ConfirmedAuditCheckpoint(checkpoint.Id, checkpoint.Sequence, checkpoint.HeadHash, checkpoint.CreatedUtc);
                }
            }
            else
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture,
                    $"Entry {sequence}'s hash differs from the hash signed in checkpoint #{checkpoint.Id} at {AuditCheckpointStatement.FormatTime(checkpoint.CreatedUtc)}: history was rewritten."));
            }
        }
    }

    /// <summary>Ends the walk: checkpoints past the chain's last verified entry were either cut off (entries deleted) or not reached.</summary>
    public AuditCheckpointReport Complete(AuditVerification chain)
    {
        foreach (var (sequence, checkpoints) in expected.OrderBy(e => e.Key))
        {
            if (matched.Contains(sequence))
            {
                continue;
            }

            foreach (var checkpoint in checkpoints)
            {
                problems.Add(chain.Intact
                    ? $"{Capitalise(checkpoint.Describe())} signed entry {sequence}, but the chain ends at entry {chain.EntriesVerified}: entries were deleted from the end."
                    : $"{Capitalise(checkpoint.Describe())} could not be checked: the chain breaks before entry {sequence}.");
            }
        }

        return new AuditCheckpointReport(true, known, confirmed, lastConfirmed, problems, notes);
    }

    private static string SourceText(AuditCheckpointSource source) => source switch
    {
        AuditCheckpointSource.Published => "publish directory",
        AuditCheckpointSource.DatabaseAndPublished => "database and the publish directory",
        _ => "database",
    };

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
