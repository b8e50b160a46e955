using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Data.Serving;

namespace Portal.Web.Features.Serving;

/// <summary>
/// Writes logged predict requests to the database in batches (one round trip per <see cref="ServingOptions.LogWriteBatch"/>
/// requests, or whatever has arrived), after the responses have gone out, in one transaction through the provider's bulk
/// statement (<see cref="PredictionLogBatchWriter"/>). Rows and outputs arrive as JSON already (the outputs as the answer
/// wrote them). A failed write is logged and the loop goes on. On shutdown the queue is closed and what is in it is
/// written before the host stops.
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

    /// <summary>
    /// The loop runs on a thread of its own, for the host's life. A flush blocks in the kernel (SQLite writes its pages and,
    /// at a checkpoint, fsyncs on the calling thread); on a thread-pool thread of a 2-core machine that left a core idle
    /// while requests queued. A new thread per flush would not do either: the pool keeps a returned array in the returning
    /// thread's own slot, so a thread that ends takes arrays with it, and renting anew on the large-object heap brought
    /// gen-2 collections (docs/benchmarks.md, "Serving, eighth pass").
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stoppingToken);
                stopped.TrySetResult();
            }
            catch (Exception ex)
            {
                stopped.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Prediction log writer",
        };
        thread.Start();
        return stopped.Task;
    }

    /// <summary>
    /// The loop itself. Its waits (for requests, the gather interval, PostgreSQL's COPY) block on purpose: this thread is the
    /// writer's alone, so blocking it holds up nothing else.
    /// </summary>
    private void Run(CancellationToken stoppingToken)
    {
        var reader = log.Reader;
        var batch = new List<LoggedPredictRequest>(options.Value.LogWriteBatch);
        using var db = dbFactory.CreateDbContext();
        try
        {
            var gather = TimeSpan.FromMilliseconds(options.Value.LogFlushMilliseconds);
            while (reader.WaitToReadAsync(stoppingToken).AsTask().GetAwaiter().GetResult())
            {
                // Group commit: one transaction for what arrives within the interval, not one per request.
                if (gather > TimeSpan.Zero && reader.Count < options.Value.LogWriteBatch)
                {
                    Task.Delay(gather, time, stoppingToken).GetAwaiter().GetResult();
                }

                Drain(db, batch, stoppingToken);
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
            Drain(db, batch, flush.Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("Shutdown: prediction log not fully written within {Seconds} s.", FlushTimeout.TotalSeconds);
        }
    }

    private void Drain(PortalDbContext db, List<LoggedPredictRequest> batch, CancellationToken cancellationToken)
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

            Write(db, batch, cancellationToken);
        }
    }

    private void Write(PortalDbContext db, List<LoggedPredictRequest> batch, CancellationToken cancellationToken)
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

            // PostgreSQL's COPY is asynchronous; this thread waits for it, as it waits for SQLite.
            rowWriter.InsertAsync(db, rows, cancellationToken).GetAwaiter().GetResult();
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
