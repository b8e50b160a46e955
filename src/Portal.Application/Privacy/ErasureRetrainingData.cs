using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Datasets;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Application.Privacy;

/// <summary>The training data of an erasure retraining: the version, its rows, and in words what it is.</summary>
public sealed record ErasureTrainingData(DatasetVersion Version, long Rows, string Source);

/// <summary>
/// The data an erasure retraining trains on: a new version of the champion's training dataset made from the version it learned from
/// without the rows whose key-column value has the erasure request's keyed hash (saved through <see cref="DatasetIngestion"/>, so it is
/// profiled and indexed like any upload). When a whole version was marked, the latest version of that dataset neither marked nor
/// purged is used instead, if there is one.
/// </summary>
public sealed class ErasureRetrainingData(IDbContextFactory<PortalDbContext> dbFactory, ContentAddressedStore store, DatasetIngestion ingestion,
    SubjectKeyProvider keys)
{
    private const long MaxCsvBytes = 512L * 1024 * 1024;

    public async Task<OperationResult<ErasureTrainingData>> BuildAsync(Retraining retraining, ModelVersion champion, AuditActor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retraining);
        ArgumentNullException.ThrowIfNull(champion);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var request = await db.ErasureRequests.AsNoTracking().FirstOrDefaultAsync(r => r.Id == retraining.ErasureRequestId, cancellationToken);
        if (request is null)
        {
            return Fail("The erasure request of this retraining no longer exists.");
        }

        var trainedOn = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns).FirstAsync(v => v.Id == champion.DatasetVersionIds[0], cancellationToken);
        var dataset = await db.Datasets.AsNoTracking().Where(d => d.Id == trainedOn.DatasetId).Select(d => d.Name).FirstAsync(cancellationToken);
        if (request.KeyHash is null || request.KeyColumn is null)
        {
            var clean = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
                .Where(v => v.DatasetId == trainedOn.DatasetId && v.ErasureMarkedUtc == null && v.PurgedUtc == null)
                .OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
            return clean is null
                ? Fail($"The whole of {dataset} v{trainedOn.Version} was marked for erasure and no other version of {dataset} is free of marks: upload one to retrain on.")
                : OperationResult<ErasureTrainingData>.Ok(new ErasureTrainingData(clean, clean.RowCount,
                    string.Create(CultureInfo.InvariantCulture, $"{dataset} v{clean.Version} ({clean.RowCount:N0} rows), the latest version not marked for erasure")));
        }

        if (trainedOn.IsPurged || !store.Exists(trainedOn.Sha256))
        {
            return Fail($"{dataset} v{trainedOn.Version} was purged: there are no rows left to retrain on.");
        }

        if (trainedOn.FindColumn(request.KeyColumn) is not { } column)
        {
            return Fail($"{dataset} v{trainedOn.Version} has no column '{request.KeyColumn}' to remove the subject by.");
        }

        var target = ulong.Parse(request.KeyHash, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        if (keys.Configured is not { } key)
        {
            return Fail(SubjectKeyProvider.NotConfigured);
        }

        var (csv, kept, removed) = await Task.Run(() => WithoutSubject(trainedOn.Sha256, column.Ordinal, target, key, cancellationToken), cancellationToken);
        using var content = new MemoryStream(csv);
        var staged = await ingestion.StageAsync(content, MaxCsvBytes, cancellationToken);
        if (!staged.Succeeded)
        {
            return Fail($"The data without the subject's rows did not make a dataset: {staged.Error}");
        }

        using var upload = staged.Value!;
        var fileName = string.Create(CultureInfo.InvariantCulture, $"{dataset}-v{trainedOn.Version}-erasure-{request.Id.Value:N}.csv");
        var saved = await ingestion.SaveAsync(dataset, fileName, upload, actor, cancellationToken);
        return OperationResult<ErasureTrainingData>.Ok(new ErasureTrainingData(saved.Version, kept, string.Create(CultureInfo.InvariantCulture,
            $"{dataset} v{saved.Version.Version}: v{trainedOn.Version} without the {removed:N0} row(s) of the data subject of erasure request {request.Id} ({kept:N0} rows)")));
    }

    private (byte[] Csv, long Kept, long Removed) WithoutSubject(string sha256, int ordinal, ulong target, SubjectKey key, CancellationToken cancellationToken)
    {
        using var source = store.OpenRead(sha256);
        using var reader = CsvReader.Create(source);
        var header = reader.ReadHeader();
        using var output = new MemoryStream();
        using (var writer = new StreamWriter(output, new UTF8Encoding(false), 1 << 16, leaveOpen: true))
        {
            WriteRecord(writer, header);
            long kept = 0, removed = 0;
            while (reader.ReadRecord() is { } record)
            {
                if (((kept + removed) & 0xFFF) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (ordinal < record.Length && key.Hash(record[ordinal]) == target)
                {
                    removed++;
                    continue;
                }

                WriteRecord(writer, record);
                kept++;
            }

            writer.Flush();
            return (output.ToArray(), kept, removed);
        }
    }

    private static void WriteRecord(StreamWriter writer, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                writer.Write(',');
            }

            var field = fields[i];
            writer.Write(field.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field);
        }

        writer.Write('\n');
    }

    private static OperationResult<ErasureTrainingData> Fail(string error) => OperationResult<ErasureTrainingData>.Fail(OperationStatus.Invalid, error);
}
