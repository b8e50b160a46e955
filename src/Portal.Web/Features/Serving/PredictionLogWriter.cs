using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Writes logged predict requests to the database in batches (one round trip per <see cref="ServingOptions.LogWriteBatch"/>
/// requests, or whatever has arrived), after the responses have gone out. A failed write is logged and the loop goes on.
/// On shutdown the queue is closed and what is in it is written before the host stops.
/// </summary>
public sealed class PredictionLogWriter(PredictionLog log, IDbContextFactory<PortalDbContext> dbFactory, IOptions<ServingOptions> options,
    ILogger<PredictionLogWriter> logger) : BackgroundService
{
    private static readonly TimeSpan FlushTimeout = TimeSpan.FromSeconds(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = log.Reader;
        var batch = new List<PredictionBatch>(options.Value.LogWriteBatch);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                await DrainAsync(batch, stoppingToken);
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
            await DrainAsync(batch, flush.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown: prediction log not fully written within {Seconds} s.", FlushTimeout.TotalSeconds);
        }
    }

    private async Task DrainAsync(List<PredictionBatch> batch, CancellationToken cancellationToken)
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

            await WriteAsync(batch, cancellationToken);
        }
    }

    private async Task WriteAsync(List<PredictionBatch> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            db.PredictionBatches.AddRange(batch);
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            logger.LogError(ex, "Could not write {Count} logged predict requests; they are lost.", batch.Count);
        }
    }
}
