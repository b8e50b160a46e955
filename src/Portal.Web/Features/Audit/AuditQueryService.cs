using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Audit;

namespace Portal.Web.Features.Audit;

/// <summary>Reads the audit trail: search, a user's own recent activity, daily counts and export.</summary>
public sealed class AuditQueryService(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    public async Task<PagedResult<AuditRow>> SearchAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        var (page, pageSize) = PagedResult<AuditRow>.Normalize(query.Page, query.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var entries = Filter(db.AuditEntries.AsNoTracking(), query);
        var total = await entries.CountAsync(cancellationToken);
        var rows = await Project(entries.OrderByDescending(e => e.Sequence).Skip(page * pageSize).Take(pageSize))
            .ToListAsync(cancellationToken);
        return new PagedResult<AuditRow>(rows, total, page, pageSize);
    }

    public async Task<IReadOnlyList<string>> ActionsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.AuditEntries.AsNoTracking().Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);
    }

    /// <summary>Entries per UTC day over the last <paramref name="days"/> days (days without entries count 0).</summary>
    public async Task<IReadOnlyList<AuditDayCount>> DailyCountsAsync(string? actorId, int days, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var since = today.AddDays(-(days - 1)).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var stamps = await db.AuditEntries.AsNoTracking()
            .Where(e => e.TimestampUtc >= since && (actorId == null || e.ActorId == actorId))
            .Select(e => e.TimestampUtc)
            .ToListAsync(cancellationToken);
        var counts = stamps.GroupBy(t => DateOnly.FromDateTime(t)).ToDictionary(g => g.Key, g => g.Count());
        return Enumerable.Range(0, days)
            .Select(i => today.AddDays(i - days + 1))
            .Select(d => new AuditDayCount(d, counts.GetValueOrDefault(d)))
            .ToList();
    }

    /// <summary>The export's columns. The stored values come first, as hashed, so an export can be re-verified; the
    /// display texts the audit page shows for <c>action</c> and <c>subjectType</c> follow at the end, so the positions
    /// of the earlier columns never move.</summary>
    public const string CsvHeader =
        "sequence,timestampUtc,actorKind,actorId,actorName,action,subjectType,subjectId,details,previousHash,hash,actionText,subjectTypeText";

    /// <summary>Streams the matching entries, oldest first, as CSV with their hashes (columns: <see cref="CsvHeader"/>),
    /// through <see cref="CsvExport"/>: text cells that a spreadsheet would read as a formula carry a leading single quote.</summary>
    public async Task WriteCsvAsync(AuditQuery query, CsvExportWriter csv, CancellationToken cancellationToken)
    {
        await csv.WriteRowAsync([.. CsvHeader.Split(',').Select(c => (CsvCell)c)]);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        await foreach (var row in Project(Filter(db.AuditEntries.AsNoTracking(), query).OrderBy(e => e.Sequence))
                           .AsAsyncEnumerable().WithCancellation(cancellationToken))
        {
            await csv.WriteRowAsync(row.Sequence, row.TimestampUtc, row.ActorKind, row.ActorId, row.ActorName, row.Action,
                row.SubjectType, row.SubjectId, row.DetailsJson, row.PreviousHash, row.Hash,
                AuditActions.Describe(row.Action), AuditSubjectKinds.Describe(row.SubjectType));
        }
    }

    /// <summary>
    /// Streams the matching entries, oldest first, as JSON for auditors: every stored field, the previous hash and hash, and the
    /// exact canonical form whose SHA-256 is the hash; then the signed checkpoints and the public key that verifies them.
    /// </summary>
    public async Task WriteJsonAsync(AuditQuery query, System.Text.Json.Utf8JsonWriter json, Application.Audit.AuditCheckpointOverview? checkpoints,
        CancellationToken cancellationToken)
    {
        json.WriteStartObject();
        json.WriteString("format", "portal-audit-export/v1");
        json.WriteString("exportedUtc", time.GetUtcNow().UtcDateTime);
        json.WriteStartArray("entries");
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            using var hasher = new AuditEntryHasher();
            var written = 0;
            await foreach (var row in Project(Filter(db.AuditEntries.AsNoTracking(), query).OrderBy(e => e.Sequence))
                               .AsAsyncEnumerable().WithCancellation(cancellationToken))
            {
                var timestamp = DateTime.SpecifyKind(row.TimestampUtc, DateTimeKind.Utc);
                string? canonical;
                try
                {
                    canonical = hasher.Canonical(row.Sequence, timestamp, row.ActorKind, row.ActorId, row.ActorName, row.Action,
                        row.SubjectType, row.SubjectId, row.DetailsJson, row.PreviousHash);
                }
                catch (Exception ex) when (ex is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
                {
                    canonical = null;
                }

                json.WriteStartObject();
                json.WriteNumber("sequence", row.Sequence);
                json.WriteString("timestampUtc", timestamp);
                json.WriteString("actorKind", row.ActorKind);
                json.WriteString("actorId", row.ActorId);
                json.WriteString("actorName", row.ActorName);
                json.WriteString("action", row.Action);
                json.WriteString("actionText", AuditActions.Describe(row.Action));
                json.WriteString("subjectType", row.SubjectType);
                json.WriteString("subjectId", row.SubjectId);
                json.WriteString("details", row.DetailsJson);
                json.WriteString("previousHash", row.PreviousHash);
                json.WriteString("hash", row.Hash);
                json.WriteString("canonical", canonical);
                json.WriteEndObject();
                if (++written % 500 == 0)
                {
                    await json.FlushAsync(cancellationToken);
                }
            }
        }

        json.WriteEndArray();
        if (checkpoints is not null)
        {
            json.WritePropertyName("checkpoints");
            // Written into the open writer without its synchronous flush (the response body only takes asynchronous writes).
            System.Text.Json.JsonSerializer.SerializeToElement(checkpoints.Latest, ExportJson).WriteTo(json);
            json.WriteString("publicKeyPem", checkpoints.PublicKeyPem);
        }

        json.WriteEndObject();
    }

    private static readonly System.Text.Json.JsonSerializerOptions ExportJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    private static IQueryable<AuditEntry> Filter(IQueryable<AuditEntry> entries, AuditQuery query)
    {
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            entries = entries.Where(e => e.Action == query.Action);
        }

        if (!string.IsNullOrWhiteSpace(query.ActorId))
        {
            entries = entries.Where(e => e.ActorId == query.ActorId);
        }

        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var search = query.Search.Trim();
            // People search for what the page shows them ("signed in"), not only for stored names.
            var described = AuditActions.All.Where(a => a.DisplayText.Contains(search, StringComparison.OrdinalIgnoreCase))
                .Select(a => a.Name).ToList();
            entries = entries.Where(e => e.ActorName.Contains(search) || e.Action.Contains(search) || described.Contains(e.Action)
                || e.SubjectType.Contains(search) || e.SubjectId.Contains(search) || e.DetailsJson.Contains(search));
        }

        return entries;
    }

    private static IQueryable<AuditRow> Project(IQueryable<AuditEntry> entries) =>
        entries.Select(e => new AuditRow(e.Sequence, e.TimestampUtc, e.ActorKind.ToString(), e.ActorId, e.ActorName, e.Action,
            e.SubjectType, e.SubjectId, e.DetailsJson, e.PreviousHash, e.Hash));
}
