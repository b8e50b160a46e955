using System.Buffers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Writes logged predict requests to the database in batches (one round trip per <see cref="ServingOptions.LogWriteBatch"/>
/// requests, or whatever has arrived), after the responses have gone out, in one transaction through the provider's bulk
/// statement (<see cref="PredictionLogBatchWriter"/>). The outputs become JSON here, off the serving path. A failed write
/// is logged and the loop goes on.
/// On shutdown the queue is closed and what is in it is written before the host stops.
/// <para>
/// The writer keeps one context for its life: it tracks nothing and only lends each flush its connection (opened and
/// closed per flush). Setting a context up for every flush was a seventh of the writer's CPU time (docs/benchmarks.md,
/// "Serving, seventh pass").
/// </para>
/// </summary>
public sealed class PredictionLogWriter(PredictionLog log, IDbContextFactory<PortalDbContext> dbFactory, PredictionLogBatchWriter rowWriter,
    IOptions<ServingOptions> options, TimeProvider time, ILogger<PredictionLogWriter> logger) : BackgroundService
{
    private const int InitialOutputBytes = 64 * 1024;
    private const int KeptOutputBytes = 4 * 1024 * 1024;
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);
    private ArrayBufferWriter<byte> outputs = new(InitialOutputBytes);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = log.Reader;
        var batch = new List<LoggedPredictRequest>(options.Value.LogWriteBatch);
        await using var db = await dbFactory.CreateDbContextAsync(stoppingToken);
        try
        {
            var gather = TimeSpan.FromMilliseconds(options.Value.LogFlushMilliseconds);
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Group commit: one transaction for what arrives within the interval, not one per request.
                if (gather > TimeSpan.Zero && reader.Count < options.Value.LogWriteBatch)
                {
                    await Task.Delay(gather, time, stoppingToken);
                }

                await DrainAsync(db, batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: flush below.
        }

        log.Complete();
        using var flush = new CancellationTokenSource(FlushTimeout);
        try
        {
            await DrainAsync(db, batch, flush.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown: prediction log not fully written within {Seconds} s.", FlushTimeout.TotalSeconds);
        }
    }

    private async Task DrainAsync(PortalDbContext db, List<LoggedPredictRequest> batch, CancellationToken cancellationToken)
    {
        var reader = log.Reader;
        while (true)
        {
            batch.Clear();
            while (batch.Count < options.Value.LogWriteBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await WriteAsync(db, batch, cancellationToken);
        }
    }

    private async Task WriteAsync(PortalDbContext db, List<LoggedPredictRequest> batch, CancellationToken cancellationToken)
    {
        try
        {
            // Every request's outputs go into one buffer, kept from flush to flush unless a flush made it large.
            outputs.ResetWrittenCount();
            var rows = new PredictionLogRow[batch.Count];
            await using (var json = new Utf8JsonWriter(outputs))
            {
                for (var i = 0; i < rows.Length; i++)
                {
                    var request = batch[i];
                    var start = outputs.WrittenCount;
                    json.Reset();
                    LoggedOutput.Write(json, request.Outputs);
                    json.Flush();
                    rows[i] = new PredictionLogRow(request.Id, request.ModelId, request.ModelVersionId, request.VersionNumber, request.RolloutId, request.Arm,
                        request.Received.UtcDateTime, request.Outputs.Count, request.ErrorCount, request.DurationMicroseconds, request.Rows.Memory,
                        outputs.WrittenMemory[start..]);
                }
            }

            await rowWriter.InsertAsync(db, rows, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogError(ex, "Could not write {Count} logged predict requests; they are lost.", batch.Count);
        }
        finally
        {
            foreach (var request in batch)
            {
                request.Rows.Dispose();
            }

            if (outputs.Capacity > KeptOutputBytes)
            {
                outputs = new ArrayBufferWriter<byte>(InitialOutputBytes);
            }
        }
    }
}
