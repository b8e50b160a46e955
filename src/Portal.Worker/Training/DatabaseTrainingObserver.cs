using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Data;
using Portal.Domain.Runs;
using Portal.Ml.Training;
using Portal.Data.Live;

namespace Portal.Worker.Training;

/// <summary>
/// Receives progress, curve points and log lines from training; every flush interval (and on a heartbeat timer,
/// for long silent phases) writes them with a <see cref="RunChanged"/> live event in one transaction, renews the
/// lease, and checks whether the run was cancelled or taken over — in which case it cancels the training. Publishing
/// is a row in that transaction: however slow a page or hub client is, a flush never waits for it.
/// </summary>
internal sealed class DatabaseTrainingObserver(
    IDbContextFactory<PortalDbContext> dbFactory,
    TimeProvider time,
    RunId runId,
    string workerId,
    TrainingOptions options,
    CancellationTokenSource training,
    ILogger logger) : ITrainingObserver, IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly List<MetricPoint> points = [];
    private readonly List<string> logs = [];
    private double progress;
    private string stage = "starting";
    private bool clearCurve;
    private DateTimeOffset lastFlush = DateTimeOffset.MinValue;
    private Task? heartbeat;
    private readonly CancellationTokenSource heartbeatStop = new();

    public bool LeaseLost { get; private set; }

    public bool CancelRequested { get; private set; }

    public void StartHeartbeat() => heartbeat = HeartbeatAsync();

    public ValueTask ProgressAsync(double fraction, string currentStage, CancellationToken ct)
    {
        lock (points)
        {
            progress = fraction;
            stage = currentStage;
        }

        return FlushIfDueAsync();
    }

    public ValueTask MetricsAsync(IReadOnlyList<MetricPoint> newPoints, CancellationToken ct)
    {
        lock (points)
        {
            points.AddRange(newPoints);
        }

        return FlushIfDueAsync();
    }

    /// <summary>
    /// Drops the points not yet written and, with the next flush, the stored ones: that flush deletes the run's curve
    /// points and writes the new ones in one transaction, and its live event says the curve was cleared (pages reload
    /// it), so no step is stored twice.
    /// </summary>
    public ValueTask ClearCurveAsync(CancellationToken ct)
    {
        lock (points)
        {
            points.Clear();
            clearCurve = true;
        }

        return FlushIfDueAsync();
    }

    public ValueTask LogAsync(string message, CancellationToken ct)
    {
        lock (points)
        {
            logs.Add(message.Length > RunLogLine.MaxMessageLength ? message[..RunLogLine.MaxMessageLength] : message);
        }

        return FlushIfDueAsync();
    }

    /// <summary>Writes what is buffered now. Never throws for a lost lease; sets <see cref="LeaseLost"/> instead.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            List<MetricPoint> batch;
            List<string> lines;
            double currentProgress;
            string currentStage;
            bool clear;
            lock (points)
            {
                batch = [.. points];
                lines = [.. logs];
                clear = clearCurve;
                points.Clear();
                logs.Clear();
                clearCurve = false;
                currentProgress = progress;
                currentStage = stage;
            }

            var now = time.GetUtcNow();
            lastFlush = now;
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var run = await db.Runs.FirstAsync(r => r.Id == runId, cancellationToken);
            if (!run.HoldsLease(workerId))
            {
                LeaseLost = true;
                await training.CancelAsync();
                return;
            }

            if (run.CancelRequested)
            {
                CancelRequested = true;
                await training.CancelAsync();
            }

            await using var transaction = clear ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            if (clear)
            {
                // Only RunMetrics rows of the curve's own keys (train.* and validation.*) exist while the run trains.
                await db.RunMetrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(cancellationToken);
            }

            run.Report(currentProgress, currentStage);
            run.RenewLease(workerId, now, options.Lease);
            var stamp = RunLogLine.Stamp(now);
            db.RunMetrics.AddRange(batch.Select(p => new RunMetric { RunId = runId, Key = p.Key, Value = p.Value, Step = p.Step, TimestampUtc = stamp }));
            db.RunLogLines.AddRange(lines.Select(l => new RunLogLine { RunId = runId, TimestampUtc = stamp, Message = l }));
            db.Publish(new RunChanged(runId, run.Status, run.Progress, run.ProgressStage, batch,
                [.. lines.Select(l => new RunChangedLogLine(stamp, l))], null, clear), now);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                if (transaction is not null)
                {
                    await transaction.CommitAsync(cancellationToken);
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                LeaseLost = true;
                await training.CancelAsync();
                return;
            }
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await heartbeatStop.CancelAsync();
        if (heartbeat is not null)
        {
            await heartbeat;
        }

        heartbeatStop.Dispose();
        gate.Dispose();
    }

    private async ValueTask FlushIfDueAsync()
    {
        if (time.GetUtcNow() - lastFlush >= TimeSpan.FromMilliseconds(options.FlushMilliseconds))
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task HeartbeatAsync()
    {
        // Renews the lease even while ML.NET is inside a long Fit that reports nothing.
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.LeaseSeconds / 3.0)), time);
        try
        {
            while (await timer.WaitForNextTickAsync(heartbeatStop.Token))
            {
                try
                {
                    await FlushAsync(heartbeatStop.Token);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogWarning(ex, "Lease renewal of run {RunId} failed; will retry.", runId);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Training finished.
        }
    }
}
