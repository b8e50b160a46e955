using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Live;
using Portal.Domain.Diagnostics;
using Portal.Domain.Runs;
using Portal.Ml.Training;

namespace Portal.Worker.Training;

/// <summary>Trains one claimed run from its stored dataset and records the outcome, whatever it is.</summary>
public sealed class RunTrainingJob(
    IDbContextFactory<PortalDbContext> dbFactory,
    ContentAddressedStore store,
    ModelTrainer trainer,
    TimeProvider time,
    IOptions<TrainingOptions> options,
    ILogger<RunTrainingJob> logger,
    OpenLineageRunEvents? lineage = null)
{
    public async Task RunAsync(RunId runId, string workerId, CancellationToken stoppingToken)
    {
        // Read without the stopping token: a run claimed just before a SIGTERM must still reach the requeue below.
        TrainingRequest request;
        await using (var db = await dbFactory.CreateDbContextAsync(CancellationToken.None))
        {
            var run = await db.Runs.FirstAsync(r => r.Id == runId, CancellationToken.None);
            // A retry, or a run handed back by a stopping worker, starts its curve afresh: points of the interrupted
            // training would mix two trainings (the hand-back does not count as an attempt, so the attempt number may repeat).
            var cleared = await db.RunMetrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(CancellationToken.None);
            // Subscribers learn that the run is running, and, after a retry, that its curve starts afresh.
            db.PublishRunChanged(run, time.GetUtcNow(),
                cleared > 0 ? $"Attempt {run.Attempt}: cleared {cleared} curve point(s) of the interrupted training." : null,
                curvesCleared: cleared > 0);
            await db.SaveChangesAsync(CancellationToken.None);

            var version = await db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
                .FirstAsync(v => v.Id == run.DatasetVersionId, CancellationToken.None);
            var modelFolder = Path.Combine(Path.GetDirectoryName(store.GetPath(version.Sha256))!, "..", "..", "tmp");
            Directory.CreateDirectory(modelFolder);
            request = new TrainingRequest(
                store.GetPath(version.Sha256), version.Schema, run.LabelColumn!, run.Task!.Value, run.Trainer!,
                run.Hyperparameters,
                run.ValidationFraction, run.Seed, Path.Combine(modelFolder, $"model-{runId.Value:N}-{Guid.NewGuid():N}.zip"));
        }

        using var training = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await using var observer = new DatabaseTrainingObserver(dbFactory, time, runId, workerId, options.Value, training, logger);
        observer.StartHeartbeat();
        try
        {
            await observer.LogAsync($"Worker {workerId} trains {request.Trainer} ({request.Task}) on label '{request.LabelColumn}'.", CancellationToken.None);
            var result = await trainer.TrainAsync(request, observer, training.Token);
            await observer.FlushAsync(CancellationToken.None);
            await FinishAsync(runId, workerId, request, result);
        }
        catch (OperationCanceledException) when (training.IsCancellationRequested)
        {
            logger.LogInformation("Training of run {RunId} stopped (worker stopping: {Stopping}).", runId, stoppingToken.IsCancellationRequested);
            await observer.FlushAsync(CancellationToken.None);
            await StopAsync(runId, workerId, observer, stoppingToken.IsCancellationRequested);
        }
        catch (TrainingValidationException ex)
        {
            await FailAsync(runId, workerId, "The run cannot train: " + string.Join(" ", ex.Errors));
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run {RunId} failed.", runId);
            await FailAsync(runId, workerId, $"Training failed: {ex.Message}");
        }
        finally
        {
            File.Delete(request.ModelOutputPath);
        }
    }

    private async Task FinishAsync(RunId runId, string workerId, TrainingRequest request, TrainingResult result)
    {
        var now = time.GetUtcNow();
        StoredBlob? model = null;
        if (!result.StoppedEarly && File.Exists(request.ModelOutputPath))
        {
            await using var file = File.OpenRead(request.ModelOutputPath);
            model = await store.PutAsync(file, long.MaxValue, CancellationToken.None);
        }

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        if (!run.HoldsLease(workerId))
        {
            logger.LogWarning("Run {RunId} finished on {Worker} after its lease was lost; result discarded.", runId, workerId);
            return;
        }

        var finalStep = result.Curve.Count == 0 ? 0 : result.Curve.Max(p => p.Step);
        db.RunMetrics.AddRange(result.Metrics.Where(m => double.IsFinite(m.Value)).Select(m => new RunMetric
        {
            RunId = runId, Key = m.Key, Value = m.Value, Step = finalStep, TimestampUtc = now.UtcDateTime,
        }));
        db.RunDiagnostics.AddRange(result.Diagnostics.Select(d => new RunDiagnostic
        {
            RunId = runId,
            Rule = d.Rule,
            Severity = d.Severity,
            Message = d.Message.Length > 2000 ? d.Message[..2000] : d.Message,
            EvidenceJson = d.Evidence.ToJsonString(),
            CreatedUtc = now.UtcDateTime,
        }));
        // The evaluation beyond the metrics (confusion matrix, per-class metrics, residuals) is stored with the run, once:
        // a retried run that reaches here again replaces nothing, as only the finishing attempt holds the lease.
        var evaluation = result.Evaluation;
        if (!result.StoppedEarly && !evaluation.IsEmpty)
        {
            db.RunEvaluations.Add(new RunEvaluation { RunId = runId, Json = evaluation.ToJson(), CreatedUtc = now.UtcDateTime });
        }

        string[] tagKeys = ["mlnet.version", "rows.train", "rows.validation"];
        db.RunParams.RemoveRange(await db.RunParams.Where(p => p.RunId == runId && p.IsTag && tagKeys.Contains(p.Key)).ToListAsync());
        db.RunParams.Add(new RunParam { RunId = runId, IsTag = true, Key = "mlnet.version", Value = result.LibraryVersion });
        db.RunParams.Add(new RunParam { RunId = runId, IsTag = true, Key = "rows.train", Value = result.TrainRows.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        db.RunParams.Add(new RunParam { RunId = runId, IsTag = true, Key = "rows.validation", Value = result.ValidationRows.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var primary = Run.PrimaryMetricFor(request.Task);
        if (result.StoppedEarly)
        {
            var rule = result.Diagnostics.FirstOrDefault(d => d.Severity == DiagnosticSeverity.Critical)?.Rule;
            run.Fail(now, $"Stopped early{(rule is null ? "" : $" ({rule})")}: {result.StopReason}");
        }
        else
        {
            run.Succeed(now, model?.Sha256, model?.Size, result.LibraryVersion, primary,
                result.Metrics.TryGetValue(primary, out var value) ? value : null);
        }

        db.PublishRunChanged(run, now, result.StoppedEarly
            ? $"Stopped early after {result.Duration.TotalSeconds:0.0} s: {result.StopReason}"
            : $"Finished in {result.Duration.TotalSeconds:0.0} s; model {model?.Sha256[..12]}…, {result.Diagnostics.Count} diagnostic finding(s).");
        await EmitLineageAsync(db, run);
        await db.SaveChangesAsync();
    }

    private async Task StopAsync(RunId runId, string workerId, DatabaseTrainingObserver observer, bool workerStopping)
    {
        if (observer.LeaseLost)
        {
            logger.LogWarning("Run {RunId} was taken over while {Worker} trained it; stopping.", runId, workerId);
            return;
        }

        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        if (!run.HoldsLease(workerId))
        {
            // Recovered meanwhile by another worker (requeued, failed or cancelled): its state is no longer ours to change.
            return;
        }

        var now = time.GetUtcNow();
        string message;
        if (observer.CancelRequested || run.CancelRequested)
        {
            run.MarkCancelled(now);
            message = "Cancelled on request.";
        }
        else if (workerStopping)
        {
            run.Requeue();
            message = $"Worker {workerId} is shutting down; the run goes back to the queue.";
        }
        else
        {
            run.Fail(now, "Training was interrupted.");
            message = run.FailureReason!;
        }

        db.PublishRunChanged(run, now, message);
        await EmitLineageAsync(db, run);
        await db.SaveChangesAsync();
    }

    private async Task FailAsync(RunId runId, string workerId, string reason)
    {
        await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
        var run = await db.Runs.FirstAsync(r => r.Id == runId);
        if (!run.HoldsLease(workerId))
        {
            return;
        }

        var now = time.GetUtcNow();
        run.Fail(now, reason);
        db.PublishRunChanged(run, now, reason);
        await EmitLineageAsync(db, run);
        await db.SaveChangesAsync();
    }

    /// <summary>The run's OpenLineage COMPLETE, FAIL or ABORT, in the transaction of the outcome (nothing for a requeued run).</summary>
    private async Task EmitLineageAsync(PortalDbContext db, Run run)
    {
        if (run.IsTerminal && lineage is not null)
        {
            await lineage.EnqueueAsync(db, run, CancellationToken.None);
        }
    }
}
