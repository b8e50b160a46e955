using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Domain.Audit;

namespace Portal.Application.Audit;

/// <summary>
/// Signs, publishes and checks audit checkpoints (docs/audit-proofs.md). A checkpoint signs the chain head: entry N and its
/// hash. Its own <c>audit.checkpoint.signed</c> entry is written in the same transaction and becomes entry N+1, so a
/// checkpoint always covers the entry before its own record. That entry is also the guard against double signing across
/// workers: it must land at exactly N+1, which the unique audit sequence grants to one writer only.
/// </summary>
public sealed partial class AuditCheckpoints(
    IDbContextFactory<PortalDbContext> dbFactory,
    AuditTrail trail,
    AuditCheckpointKeys keys,
    AuditCheckpointPublisher publisher,
    IOptions<AuditCheckpointOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// Signs the current head. With <paramref name="onlyIfHeadMoved"/> (the scheduled worker), nothing is signed when no entry
    /// was added since the last checkpoint's own record; the result is then Ok with null.
    /// </summary>
    public async Task<OperationResult<SignedAuditCheckpoint?>> SignAsync(AuditActor actor, bool onlyIfHeadMoved, CancellationToken cancellationToken)
    {
        if (keys.SigningKey is not { } key)
        {
            return OperationResult<SignedAuditCheckpoint?>.Fail(OperationStatus.Conflict, AuditCheckpointKeys.NotConfiguredMessage);
        }

        SignedAuditCheckpoint signed;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                var head = await db.AuditEntries.AsNoTracking().OrderByDescending(e => e.Sequence)
                    .Select(e => new { e.Sequence, e.Hash }).FirstOrDefaultAsync(cancellationToken);
                if (head is null)
                {
                    return OperationResult<SignedAuditCheckpoint?>.Fail(OperationStatus.Conflict, "The audit chain is empty: there is no head to sign yet.");
                }

                var last = await db.AuditCheckpoints.AsNoTracking().MaxAsync(c => (long?)c.Sequence, cancellationToken);
                if (last >= head.Sequence || (onlyIfHeadMoved && last + 1 >= head.Sequence))
                {
                    // Only the last checkpoint's own record (or nothing) was added since: that head is signed already.
                    return OperationResult<SignedAuditCheckpoint?>.Ok(null);
                }

                var checkpoint = key.Sign(head.Sequence, head.Hash.Trim(), time.GetUtcNow());
                db.AuditCheckpoints.Add(checkpoint);
                await db.SaveChangesAsync(cancellationToken);
                var entry = trail.Record(db, actor, AuditActions.AuditCheckpointSigned, AuditSubject.AuditCheckpoint(checkpoint.Id),
                    new { sequence = checkpoint.Sequence, headHash = checkpoint.HeadHash, keyId = checkpoint.KeyId });
                await db.SaveChangesAsync(cancellationToken);
                if (entry.Sequence != checkpoint.Sequence + 1)
                {
                    await transaction.RollbackAsync(cancellationToken);
                    return Moved();
                }

                await transaction.CommitAsync(cancellationToken);
                signed = SignedAuditCheckpoint.From(checkpoint);
            }
            catch (Exception ex) when (ex is DbUpdateException or DbException)
            {
                // Another signer (or writer) took entry N+1 first: this head is theirs to sign.
                return Moved();
            }
        }

        publisher.PublishPublicKey(key.PublicKey);
        publisher.Publish(signed);
        return OperationResult<SignedAuditCheckpoint?>.Ok(signed);

        static OperationResult<SignedAuditCheckpoint?> Moved() => OperationResult<SignedAuditCheckpoint?>.Fail(OperationStatus.Conflict,
            "The audit chain moved while the checkpoint was being signed (another signer or writer was first); try again.");
    }

    /// <summary>Publishes every checkpoint row that verifies under the configured key and is not published yet (a failed earlier
    /// publish, or a checkpoint another host signed). Returns how many files were written.</summary>
    public async Task<int> PublishPendingAsync(CancellationToken cancellationToken)
    {
        if (keys.SigningKey is not { } key)
        {
            return 0;
        }

        publisher.PublishPublicKey(key.PublicKey);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var written = 0;
        foreach (var checkpoint in await db.AuditCheckpoints.AsNoTracking().OrderBy(c => c.Id).ToListAsync(cancellationToken))
        {
            if (!publisher.IsPublished(checkpoint.Id) && key.PublicKey.Refusal(checkpoint) is null && publisher.Publish(SignedAuditCheckpoint.From(checkpoint)))
            {
                written++;
            }
        }

        return written;
    }

    public async Task<AuditCheckpointOverview> OverviewAsync(int latest, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var total = await db.AuditCheckpoints.LongCountAsync(cancellationToken);
        var rows = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.Sequence).ThenByDescending(c => c.Id)
            .Take(Math.Clamp(latest, 1, 500)).ToListAsync(cancellationToken);
        var key = keys.SigningKey;
        return new AuditCheckpointOverview(key is not null, key?.KeyId, key?.PublicKey.Pem, publisher.Directory, options.Value.IntervalMinutes,
            total, rows.Select(SignedAuditCheckpoint.From).ToList());
    }

    /// <summary>
    /// Walks the chain (streaming) and checks every checkpoint known from the database and the publish directory: signature
    /// under the configured key, and the entry at its sequence has exactly the signed hash.
    /// </summary>
    public async Task<AuditVerificationReport> VerifyAsync(CancellationToken cancellationToken)
    {
        if (keys.SigningKey is not { } key)
        {
            var chainOnly = await trail.VerifyAsync(cancellationToken);
            return AuditVerificationReport.From(chainOnly, AuditCheckpointReport.NotConfigured(AuditCheckpointKeys.NotConfiguredMessage));
        }

        List<AuditCheckpoint> rows;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            rows = await db.AuditCheckpoints.AsNoTracking().ToListAsync(cancellationToken);
        }

        var (published, fileProblems) = publisher.ReadAll();
        var checker = new AuditCheckpointVerifier(key.PublicKey,
            rows.Select(r => KnownAuditCheckpoint.From(r, AuditCheckpointSource.Database)),
            published.Select(p => p.ToKnown(AuditCheckpointSource.Published)));
        var chain = await trail.VerifyAsync(checker.Observe, cancellationToken);
        var report = checker.Complete(chain);
        if (fileProblems.Count > 0)
        {
            report = report with { Problems = [.. fileProblems, .. report.Problems] };
        }

        return AuditVerificationReport.From(chain, report);
    }

    /// <summary>
    /// Checks a checkpoint an auditor holds against today's chain. Malformed fields or a signature that does not verify under the
    /// configured key: Invalid (never trusted). Otherwise the chain is walked up to its entry: Valid when intact up to there and the
    /// entry still has the signed hash.
    /// </summary>
    public async Task<OperationResult<SubmittedCheckpointVerdict>> VerifySubmittedAsync(SubmittedAuditCheckpoint submitted, CancellationToken cancellationToken)
    {
        if (keys.SigningKey is not { } key)
        {
            return OperationResult<SubmittedCheckpointVerdict>.Fail(OperationStatus.Conflict, AuditCheckpointKeys.NotConfiguredMessage);
        }

        if (Malformed(submitted) is { } malformed)
        {
            return OperationResult<SubmittedCheckpointVerdict>.Fail(OperationStatus.Invalid, malformed);
        }

        var sequence = submitted.Sequence!.Value;
        var created = AuditCanonicalForm.NormalizeTime(new DateTimeOffset(DateTime.SpecifyKind(submitted.CreatedUtc!.Value.ToUniversalTime(), DateTimeKind.Utc)));
        if (key.PublicKey.Refusal(sequence, submitted.HeadHash!, created, submitted.KeyId!, submitted.Algorithm!, submitted.Signature!) is { } refusal)
        {
            return OperationResult<SubmittedCheckpointVerdict>.Fail(OperationStatus.Invalid, $"The checkpoint is refused and not trusted: {refusal}.");
        }

        string? current = null;
        var chain = await trail.VerifyAsync((s, hash) =>
        {
            if (s == sequence)
            {
                current = hash;
            }
        }, upTo: sequence, cancellationToken);
        var verdict = current is not null
            ? string.Equals(current, submitted.HeadHash, StringComparison.Ordinal)
                ? new SubmittedCheckpointVerdict(true, "match", $"Entry {sequence} still has the signed hash and the chain up to it is intact.", sequence, submitted.HeadHash!, current)
                : new SubmittedCheckpointVerdict(false, "mismatch", $"Entry {sequence}'s hash differs from the hash signed at {AuditCheckpointStatement.FormatTime(created)}: history was rewritten.", sequence, submitted.HeadHash!, current)
            : !chain.Intact
                ? new SubmittedCheckpointVerdict(false, "broken", $"The chain breaks before entry {sequence}: {chain.Reason}", sequence, submitted.HeadHash!, null)
                : new SubmittedCheckpointVerdict(false, "missing", $"Entry {sequence} no longer exists: the chain ends at entry {chain.EntriesVerified}, so entries were deleted from the end.", sequence, submitted.HeadHash!, null);
        return OperationResult<SubmittedCheckpointVerdict>.Ok(verdict);
    }

    /// <summary>
    /// The inclusion proof of entry <paramref name="sequence"/> up to a checkpoint (the given one, or the nearest checkpoint at or
    /// after the entry): the signed checkpoint, the public key, and every entry from <paramref name="sequence"/> to the
    /// checkpoint's entry with its canonical form and hash, streamed.
    /// </summary>
    public async Task<OperationResult<AuditInclusionProof>> ProofAsync(long sequence, long? checkpointId, CancellationToken cancellationToken)
    {
        if (keys.SigningKey is not { } key)
        {
            return OperationResult<AuditInclusionProof>.Fail(OperationStatus.Conflict, AuditCheckpointKeys.NotConfiguredMessage);
        }

        if (sequence < 1)
        {
            return OperationResult<AuditInclusionProof>.Fail(OperationStatus.Invalid, "Audit entries are numbered from 1.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (!await db.AuditEntries.AnyAsync(e => e.Sequence == sequence, cancellationToken))
        {
            return OperationResult<AuditInclusionProof>.Fail(OperationStatus.NotFound, $"There is no audit entry {sequence}.");
        }

        AuditCheckpoint? checkpoint;
        if (checkpointId is { } id)
        {
            checkpoint = await db.AuditCheckpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, cancellationToken);
            if (checkpoint is null)
            {
                return OperationResult<AuditInclusionProof>.Fail(OperationStatus.NotFound, $"There is no audit checkpoint #{id}.");
            }

            if (checkpoint.Sequence < sequence)
            {
                return OperationResult<AuditInclusionProof>.Fail(OperationStatus.Invalid,
                    $"Checkpoint #{id} signs entry {checkpoint.Sequence}, before entry {sequence}: choose a later checkpoint (or none, for the nearest).");
            }
        }
        else
        {
            checkpoint = await db.AuditCheckpoints.AsNoTracking().Where(c => c.Sequence >= sequence)
                .OrderBy(c => c.Sequence).ThenBy(c => c.Id).FirstOrDefaultAsync(cancellationToken);
            if (checkpoint is null)
            {
                return OperationResult<AuditInclusionProof>.Fail(OperationStatus.Conflict,
                    $"No checkpoint covers entry {sequence} yet: sign one (POST /api/audit/checkpoints) and ask again.");
            }
        }

        if (key.PublicKey.Refusal(checkpoint) is { } refusal)
        {
            return OperationResult<AuditInclusionProof>.Fail(OperationStatus.Conflict, $"Checkpoint #{checkpoint.Id} is not trusted: {refusal}.");
        }

        var span = checkpoint.Sequence - sequence + 1;
        var limit = options.Value.MaxProofEntries;
        if (span > limit)
        {
            return OperationResult<AuditInclusionProof>.Fail(OperationStatus.Invalid,
                $"The proof of entry {sequence} up to checkpoint #{checkpoint.Id} (entry {checkpoint.Sequence}) would span {span:N0} entries; at most {limit:N0} are served. Ask with a nearer checkpoint (?checkpoint=ID).");
        }

        return OperationResult<AuditInclusionProof>.Ok(new AuditInclusionProof(
            AuditInclusionProof.FormatName, sequence, SignedAuditCheckpoint.From(checkpoint), key.PublicKey.Pem, span,
            ProofEntriesAsync(sequence, checkpoint.Sequence, CancellationToken.None)));
    }

    /// <summary>Entries <paramref name="from"/>..<paramref name="to"/> as auditors recompute them (also the JSON export's rows).</summary>
    public async IAsyncEnumerable<AuditProofEntry> ProofEntriesAsync(long from, long to, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        using var hasher = new AuditEntryHasher();
        await foreach (var row in AuditChainReader.ReadAsync(db, from, to, cancellationToken))
        {
            yield return new AuditProofEntry(row.Sequence, row.PreviousHash, row.Hash, row.Canonical(hasher) ?? "");
        }
    }

    private static string? Malformed(SubmittedAuditCheckpoint c)
    {
        var missing = new List<string>();
        if (c.Sequence is null) missing.Add("sequence");
        if (string.IsNullOrWhiteSpace(c.HeadHash)) missing.Add("headHash");
        if (c.CreatedUtc is null) missing.Add("createdUtc");
        if (string.IsNullOrWhiteSpace(c.KeyId)) missing.Add("keyId");
        if (string.IsNullOrWhiteSpace(c.Algorithm)) missing.Add("algorithm");
        if (string.IsNullOrWhiteSpace(c.Signature)) missing.Add("signature");
        if (missing.Count > 0)
        {
            return $"The checkpoint lacks {string.Join(", ", missing)}: post it as published (checkpoint-<id>.json).";
        }

        if (c.Sequence < 1)
        {
            return "sequence must be 1 or more.";
        }

        if (!Hex64().IsMatch(c.HeadHash!))
        {
            return "headHash must be 64 lower-case hexadecimal characters (a SHA-256).";
        }

        return !Hex64().IsMatch(c.KeyId!) ? "keyId must be 64 lower-case hexadecimal characters (the public key's SHA-256 fingerprint)." : null;
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Hex64();
}

/// <summary>One entry of a proof or of the JSON export: SHA-256 of <see cref="Canonical"/> (UTF-8) is <see cref="Hash"/>, and
/// <see cref="PreviousHash"/> is the hash of the entry before.</summary>
public sealed record AuditProofEntry(long Sequence, string PreviousHash, string Hash, string Canonical);

/// <summary>An inclusion proof (format <see cref="FormatName"/>, docs/audit-proofs.md).</summary>
public sealed record AuditInclusionProof(
    string Format, long Sequence, SignedAuditCheckpoint Checkpoint, string PublicKeyPem, long EntryCount, IAsyncEnumerable<AuditProofEntry> Entries)
{
    public const string FormatName = "portal-audit-proof/v1";
}
