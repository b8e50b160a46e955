using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Datasets;
using Portal.Domain.Privacy;

namespace Portal.Application.Privacy;

/// <summary>
/// Builds the erasure index of a dataset version: for every column, the distinct keyed hashes of its values written as a
/// <see cref="SubjectIndexFile"/>, and one <see cref="DatasetSubjectIndex"/> row per column added to the caller's context (saved in
/// the caller's transaction, with the version at upload). <see cref="BackfillAsync"/> builds the missing indexes of older versions.
/// </summary>
public sealed class SubjectIndexer(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store, SubjectIndexStore indexes,
    SubjectKeyProvider keys, TimeProvider time)
{
    /// <summary>
    /// Indexes <paramref name="version"/> from its stored CSV and adds the rows to <paramref name="db"/> without saving. Files are
    /// written first under paths made from the version's id, so a retried or repeated build replaces them with the same content.
    /// </summary>
    public async Task AddAsync(PortalDbContext db, DatasetVersion version, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(version);
        if (keys.Configured is not { } key)
        {
            return; // No key outside Development: kept unindexed; the sweep's backfill indexes it once a key is set.
        }

        var now = time.GetUtcNow();
        var built = await Task.Run(() => Build(version.Sha256, key, cancellationToken), cancellationToken);
        foreach (var (ordinal, name, entries) in built)
        {
            var relative = SubjectIndexStore.RelativePath(version.Id, ordinal);
            SubjectIndexFile.Write(indexes.Resolve(relative), entries);
            db.DatasetSubjectIndexes.Add(DatasetSubjectIndex.Create(version.Id, ordinal, name, key.KeyId, entries.Length, relative, now));
        }
    }

    /// <summary>
    /// Builds the index of up to <paramref name="max"/> versions that have none (older than the index, or uploaded while it failed);
    /// purged versions have no content to index. Any number of workers may run it: two building the same version write the same
    /// files and the second save collides on the rows' key and is dropped. Returns how many versions this call indexed.
    /// </summary>
    public async Task<int> BackfillAsync(int max, CancellationToken cancellationToken)
    {
        if (keys.Configured is null)
        {
            return 0;
        }

        List<DatasetVersionId> missing;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            missing = await db.DatasetVersions.AsNoTracking()
                .Where(v => v.PurgedUtc == null && !db.DatasetSubjectIndexes.Any(i => i.DatasetVersionId == v.Id))
                .OrderBy(v => v.CreatedUtc).Select(v => v.Id).Take(max).ToListAsync(cancellationToken);
        }

        var done = 0;
        foreach (var id in missing)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var version = await db.DatasetVersions.AsNoTracking().FirstAsync(v => v.Id == id, cancellationToken);
            if (!store.Exists(version.Sha256) || await db.DatasetSubjectIndexes.AnyAsync(i => i.DatasetVersionId == id, cancellationToken))
            {
                continue;
            }

            try
            {
                await AddAsync(db, version, cancellationToken);
                await db.SaveChangesAsync(cancellationToken);
                done++;
            }
            catch (DbUpdateException)
            {
                // Another worker indexed it first; its files are the same as ours.
            }
            catch (CsvFormatException)
            {
                // Not readable as it was when uploaded: leave it; the impact search says which versions have no index.
            }
        }

        return done;
    }

    private List<(int Ordinal, string Name, ulong[] Entries)> Build(string sha256, SubjectKey key, CancellationToken cancellationToken)
    {
        using var content = store.OpenRead(sha256);
        using var csv = CsvReader.Create(content);
        var header = csv.ReadHeader();
        var sets = header.Select(_ => new HashSet<ulong>()).ToArray();
        var rows = 0;
        while (csv.ReadRecord() is { } record)
        {
            if ((++rows & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (var i = 0; i < record.Length && i < sets.Length; i++)
            {
                if (key.Hash(record[i]) is { } entry)
                {
                    sets[i].Add(entry);
                }
            }
        }

        return [.. header.Select((name, ordinal) =>
        {
            var entries = sets[ordinal].ToArray();
            Array.Sort(entries);
            return (ordinal, name, entries);
        })];
    }
}
