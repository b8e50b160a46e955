using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Writes logged predict requests to the database in batches (one round trip per <see cref="ServingOptions.LogWriteBatch"/>
/// requests, or whatever has arrived), after the responses have gone out, in one transaction through the provider's bulk
/// statement (<see cref="PredictionLogBatchWriter"/>). Rows and outputs arrive as JSON already (the outputs as the answer
/// wrote them). A failed write is logged and the loop goes on. On shutdown the queue is closed and what is in it is written before the host stops.
/// <para>
/// The writer keeps one context for its life: it tracks nothing and only lends each flush its connection (opened and
/// closed per flush). Setting a context up for every flush was a seventh of the writer's CPU time (docs/benchmarks.md,
/// "Serving, seventh pass").
/// </para>
/// </summary>
public sealed class PredictionLogWriter(PredictionLog log, IDbContextFactory<PortalDbContext> dbFactory, PredictionLogBatchWriter rowWriter,
    IOptions<ServingOptions> options, TimeProvider time, ILogger<PredictionLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

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
            var rows = new PredictionLogRow[batch.Count];
            for (var i = 0; i < rows.Length; i++)
            {
                var request = batch[i];
                rows[i] = new PredictionLogRow(request.Id, request.ModelId, request.ModelVersionId, request.VersionNumber, request.RolloutId, request.Arm,
                    request.Received.UtcDateTime, request.RowCount, request.ErrorCount, request.DurationMicroseconds, request.Rows.Memory,
                    request.Outputs.Memory);
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
                request.Dispose();
            }
        }
    }
}
