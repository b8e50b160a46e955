using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;

namespace Portal.Data.Audit;

/// <summary>
/// Writes and verifies the audit trail. Every governance change records its entry through <see cref="Record"/>
/// on the same context it saves, so the entry lands in the same transaction as the change.
/// </summary>
public sealed class AuditTrail(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    private static readonly JsonSerializerOptions DetailsJson = new(JsonSerializerDefaults.Web);

    /// <summary>Adds an entry to <paramref name="db"/>; it is sealed and written by that context's next save.</summary>
    public AuditEntry Record(PortalDbContext db, AuditActor actor, AuditAction action, AuditSubject subject, object? details = null)
    {
        var entry = AuditEntry.Record(time.GetUtcNow(), actor, action, subject,
            details is null ? null : JsonSerializer.Serialize(details, DetailsJson));
        db.AuditEntries.Add(entry);
        return entry;
    }

    /// <summary>Writes an entry that records no other change (a sign-in, a failed attempt).</summary>
    public async Task<AuditEntry> WriteAsync(AuditActor actor, AuditAction action, AuditSubject subject, object? details = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entry = Record(db, actor, action, subject, details);
        await db.SaveChangesAsync(cancellationToken);
        return entry;
    }

    /// <summary>Walks the whole chain in sequence order, streaming, and reports the first broken link.</summary>
    public Task<AuditVerification> VerifyAsync(CancellationToken cancellationToken = default) =>
        VerifyAsync(null, cancellationToken);

    /// <summary>
    /// Walks the whole chain in sequence order and reports the first broken link; <paramref name="verified"/> sees the sequence
    /// and hash of every entry that verified (the checkpoint check). Rows are read with a plain data reader and hashed with one
    /// reused buffer: a million entries take seconds, not the minute entity materialisation would (bench/Portal.Bench.Audit).
    /// </summary>
    public Task<AuditVerification> VerifyAsync(Action<long, string>? verified, CancellationToken cancellationToken = default) =>
        VerifyAsync(verified, long.MaxValue, cancellationToken);

    /// <summary>As above, stopping after entry <paramref name="upTo"/>.</summary>
    public async Task<AuditVerification> VerifyAsync(Action<long, string>? verified, long upTo, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var verifier = new AuditChainVerifier();
        AuditChainBreak? broken = null;
        using var hasher = new AuditEntryHasher();
        await foreach (var row in AuditChainReader.ReadAsync(db, 1, upTo, cancellationToken))
        {
            broken = verifier.Next(row.Sequence, row.PreviousHash, row.Hash, row.Recompute(hasher));
            if (broken is not null)
            {
                break;
            }

            verified?.Invoke(row.Sequence, row.Hash);
        }

        return verifier.Complete(broken, time.GetUtcNow());
    }
}
