using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Audit;

namespace Portal.Data.Audit;

/// <summary>
/// Writes and verifies the audit trail. Every governance change records its entry through <see cref="Record"/>
/// on the same context it saves, so the entry lands in the same transaction as the change.
/// </summary>
public sealed class AuditTrail(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    /// <summary>Rows the verification's reading task hands over at once, and how many batches it may read ahead.</summary>
    private const int BatchRows = 1024;

    private const int ReadAheadBatches = 4;

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

    /// <summary>
    /// As above, stopping after entry <paramref name="upTo"/>. Reading and hashing overlap: one task reads rows in batches while
    /// this one hashes and links them in sequence order, so the walk uses two cores where it has them.
    /// </summary>
    public async Task<AuditVerification> VerifyAsync(Action<long, string>? verified, long upTo, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var verifier = new AuditChainVerifier();
        AuditChainBreak? broken = null;
        using var hasher = new AuditEntryHasher();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var batches = Channel.CreateBounded<AuditChainRow[]>(new BoundedChannelOptions(ReadAheadBatches) { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(() => ReadBatchesAsync(db, upTo, batches.Writer, stop.Token), stop.Token);
        try
        {
            await foreach (var batch in batches.Reader.ReadAllAsync(cancellationToken))
            {
                foreach (var row in batch)
                {
                    broken = verifier.Next(row.Sequence, row.PreviousHash, row.Hash, row.Recompute(hasher));
                    if (broken is not null)
                    {
                        break;
                    }

                    verified?.Invoke(row.Sequence, row.Hash);
                }

                if (broken is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        return verifier.Complete(broken, time.GetUtcNow());
    }

    private static async Task ReadBatchesAsync(PortalDbContext db, long upTo, ChannelWriter<AuditChainRow[]> writer, CancellationToken cancellationToken)
    {
        try
        {
            var batch = new List<AuditChainRow>(BatchRows);
            await foreach (var row in AuditChainReader.ReadAsync(db, 1, upTo, cancellationToken))
            {
                batch.Add(row);
                if (batch.Count == BatchRows)
                {
                    await writer.WriteAsync([.. batch], cancellationToken);
                    batch.Clear();
                }
            }

            if (batch.Count > 0)
            {
                await writer.WriteAsync([.. batch], cancellationToken);
            }

            writer.Complete();
        }
        catch (Exception e)
        {
            // The hashing side sees the failure (or, after it stopped early, nobody does).
            writer.Complete(e);
        }
    }
}
