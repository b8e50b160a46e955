using Microsoft.EntityFrameworkCore;
using Portal.Application.Lineage;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Data.Live;
using Portal.Data.Metrics;
using Portal.Domain.Audit;
using Portal.Domain.Runs;
using Portal.Domain.Text;

namespace Portal.Application.Runs;

/// <summary>
/// Externally tracked runs (mlflow style): opened by their owner, who logs metrics, params and tags to them in
/// batches, may attach the model file, and posts the end status. Only the owner writes to such a run.
/// </summary>
public sealed class ExternalRunTracking(
    IDbContextFactory<PortalDbContext> dbFactory,
    MetricBatchWriter metricRows,
    ContentAddressedStore store,
    AuditTrail audit,
    TimeProvider time,
    OpenLineageRunEvents? lineage = null)
{
    private readonly NewRuns newRuns = new(dbFactory, audit, time, lineage);

    public Task<OperationResult<RunId>> StartAsync(StartExternalRun command, AuditActor owner, CancellationToken cancellationToken) =>
        newRuns.AddAsync(command.Experiment, command.DatasetId, command.DatasetVersion, owner,
            (experiment, version, now) => OperationResult<Run>.Ok(Run.StartExternal(experiment.Id, version?.Id, version?.Sha256, command.Task,
                command.Trainer, command.LabelColumn, owner.Id, owner.Name, now)),
            cancellationToken);

    /// <summary>
    /// Appends the batch in one transaction; returns how many metrics, params and tags it stored (a param or tag named
    /// twice counts once: a param must then have one value, a tag keeps the last one, as a later batch would overwrite it).
    /// </summary>
    public async Task<OperationResult<int>> LogBatchAsync(RunId runId, LogBatch batch, AuditActor owner, IReadOnlyCollection<string> ownerRoles,
        CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.SubmittedBy, r.SubmittedByName, r.Mode, r.Status, r.Progress, r.ProgressStage }).FirstOrDefaultAsync(cancellationToken);
        if (run is null)
        {
            return OperationResult<int>.Fail(OperationStatus.NotFound, "No such run.");
        }

        if ((await RunChangeGate.DecideAsync<int>(audit, RunChange.LogBatch, runId, run.SubmittedBy, run.SubmittedByName, owner, ownerRoles,
                cancellationToken)).Refusal is { } refusal)
        {
            return refusal;
        }

        if (Problem(batch) is { } problem)
        {
            return OperationResult<int>.Fail(OperationStatus.Invalid, problem);
        }

        if (run.Mode != RunMode.External || run.Status != RunStatus.Running)
        {
            return OperationResult<int>.Fail(OperationStatus.Conflict,
                run.Mode != RunMode.External ? "Only externally tracked runs take logged batches." : $"The run is {run.Status}; it takes no more data.");
        }

        var metrics = batch.Metrics;
        var parameters = batch.Params.DistinctBy(p => p.Key).ToList();
        var tags = batch.Tags.GroupBy(t => t.Key).Select(g => g.Last()).ToList();
        var keys = parameters.Select(p => p.Key).Concat(tags.Select(t => t.Key)).ToList();
        var existing = keys.Count == 0 ? []
            : await db.RunParams.AsNoTracking().Where(p => p.RunId == runId && keys.Contains(p.Key)).ToListAsync(cancellationToken);
        foreach (var p in parameters)
        {
            if (existing.FirstOrDefault(e => !e.IsTag && e.Key == p.Key) is { } logged && logged.Value != p.Value)
            {
                return OperationResult<int>.Fail(OperationStatus.Invalid, $"Param '{p.Key}' was already logged as '{logged.Value}'; params cannot change.");
            }
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.RunParams.AddRange(parameters.Where(p => !existing.Any(e => !e.IsTag && e.Key == p.Key))
            .Select(p => new RunParam { RunId = runId, Key = p.Key, Value = p.Value }));
        foreach (var tag in tags)
        {
            if (existing.FirstOrDefault(e => e.IsTag && e.Key == tag.Key) is { } old)
            {
                db.RunParams.Attach(old);
                old.Value = tag.Value;
                db.Entry(old).Property(o => o.Value).IsModified = true;
            }
            else
            {
                db.RunParams.Add(new RunParam { RunId = runId, IsTag = true, Key = tag.Key, Value = tag.Value });
            }
        }

        // Metrics go in through the provider's bulk statement (MetricBatchWriter), params and tags through the change
        // tracker, and the points' live event with them, so every web node's subscribers get them; one transaction for all.
        if (metrics.Count > 0)
        {
            db.Publish(new RunChanged(runId, run.Status, run.Progress, run.ProgressStage,
                [.. metrics.Select(m => new MetricPoint(m.Key, m.Value, m.Step))], [], null), time.GetUtcNow());
        }

        var pairsChanged = db.ChangeTracker.HasChanges();
        try
        {
            await using var transaction = metrics.Count > 0 ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
            await metricRows.InsertAsync(db, runId,
                [.. metrics.Select(m => new RunMetric { RunId = runId, Key = m.Key, Value = m.Value, Step = m.Step, TimestampUtc = m.TimestampUtc ?? now })],
                cancellationToken);
            if (pairsChanged)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }
        catch (DbUpdateException)
        {
            // Another batch logged one of these params or tags first (the key is unique per run); nothing of this one was stored.
            return OperationResult<int>.Fail(OperationStatus.Conflict,
                "Another batch logged some of these params or tags at the same moment; nothing of this batch was stored. Send it again.");
        }

        return OperationResult<int>.Ok(metrics.Count + parameters.Count + tags.Count);
    }

    /// <summary>Stores the model file of a running external run; returns its SHA-256.</summary>
    public async Task<OperationResult<string>> AttachModelAsync(RunId runId, Stream content, long maxBytes, AuditActor owner,
        IReadOnlyCollection<string> ownerRoles, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return OperationResult<string>.Fail(OperationStatus.NotFound, "No such run.");
        }

        if ((await RunChangeGate.DecideAsync<string>(audit, RunChange.AttachModel, runId, run.SubmittedBy, run.SubmittedByName, owner, ownerRoles,
                cancellationToken)).Refusal is { } refusal)
        {
            return refusal;
        }

        if (run.Mode != RunMode.External || run.Status != RunStatus.Running)
        {
            return OperationResult<string>.Fail(OperationStatus.Conflict, "Only a running, externally tracked run takes a model artifact.");
        }

        StoredBlob blob;
        try
        {
            blob = await store.PutAsync(content, maxBytes, cancellationToken);
        }
        catch (BlobRejectedException ex)
        {
            return OperationResult<string>.Fail(OperationStatus.Invalid, ex.Message);
        }

        run.AttachModel(blob.Sha256, blob.Size);
        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<string>.Ok(blob.Sha256);
    }

    /// <summary>Ends a running external run as Succeeded, Failed (with the reason) or Cancelled; ranks it by its task's primary metric.</summary>
    public async Task<OperationResult<RunStatus>> EndAsync(RunId runId, RunStatus status, string? reason, AuditActor owner,
        IReadOnlyCollection<string> ownerRoles, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return OperationResult<RunStatus>.Fail(OperationStatus.NotFound, "No such run.");
        }

        if ((await RunChangeGate.DecideAsync<RunStatus>(audit, RunChange.End, runId, run.SubmittedBy, run.SubmittedByName, owner, ownerRoles,
                cancellationToken)).Refusal is { } refusal)
        {
            return refusal;
        }

        if (EndProblem(status, reason) is { } problem)
        {
            return OperationResult<RunStatus>.Fail(OperationStatus.Invalid, problem);
        }

        reason = status == RunStatus.Failed ? reason!.Trim() : null;

        if (run.Mode != RunMode.External || run.Status != RunStatus.Running)
        {
            return OperationResult<RunStatus>.Fail(OperationStatus.Conflict, $"The run is {run.Mode} and {run.Status}; only a running external run takes an end status.");
        }

        if (run.Task is { } task)
        {
            var primary = Run.PrimaryMetricFor(task);
            var latest = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Key == primary)
                .OrderByDescending(m => m.Step).ThenByDescending(m => m.Id).Select(m => (double?)m.Value).FirstOrDefaultAsync(cancellationToken);
            if (latest is { } value)
            {
                run.SetPrimaryMetric(primary, value);
            }
        }

        run.EndExternal(status, time.GetUtcNow(), reason);
        if (status == RunStatus.Cancelled)
        {
            audit.Record(db, owner, AuditActions.RunCancelled, AuditSubject.Run(run.Id), new { mode = "external" });
        }

        db.PublishRunChanged(run, time.GetUtcNow());
        if (lineage is not null)
        {
            await lineage.EnqueueAsync(db, run, cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<RunStatus>.Ok(run.Status);
    }

    /// <summary>What is wrong with an end status and its reason, said so that the client can fix it; null when valid.</summary>
    public static string? EndProblem(RunStatus status, string? reason) =>
        status is not (RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled) ? "status must be Succeeded, Failed or Cancelled."
        : status != RunStatus.Failed ? null
        : string.IsNullOrWhiteSpace(reason) ? "reason is required when status is Failed: say why the run failed (at most 2000 characters)."
        : TextRule.FreeTextProblem("reason", reason, Run.MaxReasonLength);

    /// <summary>What is wrong with the batch, said so that the client can fix it; null when it may be stored.</summary>
    private static string? Problem(LogBatch batch)
    {
        var (metrics, parameters, tags) = (batch.Metrics, batch.Params, batch.Tags);
        if (LogBatch.LimitProblem(metrics.Count, parameters.Count, tags.Count) is { } limits)
        {
            return limits;
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            if (KeyError(metrics[i].Key) is { } keyError)
            {
                return $"metrics[{i}]: {keyError}";
            }

            if (!double.IsFinite(metrics[i].Value))
            {
                return ValueNotFinite(i, metrics[i].Key);
            }
        }

        for (var i = 0; i < parameters.Count; i++)
        {
            var first = 0;
            while (parameters[first].Key != parameters[i].Key)
            {
                first++;
            }

            if (first < i && parameters[first].Value != parameters[i].Value)
            {
                return $"params[{i}] ('{parameters[i].Key}'): the batch gives this param two values ('{parameters[first].Value}' at params[{first}], "
                    + $"'{parameters[i].Value}' here); a param has one value.";
            }
        }

        foreach (var (pairs, what) in new[] { (parameters, "params"), (tags, "tags") })
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                if (KeyError(pairs[i].Key) is { } keyError)
                {
                    return $"{what}[{i}]: {keyError}";
                }

                if (pairs[i].Value.Length > RunParam.MaxValueLength)
                {
                    return ValueRequired(what, i, pairs[i].Key);
                }

                if (TextRule.FreeTextProblem($"{what}[{i}] ('{pairs[i].Key}') value", pairs[i].Value, RunParam.MaxValueLength) is { } textError)
                {
                    return textError;
                }
            }
        }

        return null;
    }

    /// <summary>The refusal of a param or tag without a value or with one too long (the API edge says it for a missing value too).</summary>
    public static string ValueRequired(string what, int index, string? key) =>
        $"{what}[{index}] ('{key}'): value is required, at most {RunParam.MaxValueLength} characters.";

    /// <summary>The refusal of a metric without a finite value (the API edge says it for a missing value too).</summary>
    public static string ValueNotFinite(int index, string? key) => $"metrics[{index}] ('{key}'): value must be a finite number.";

    /// <summary>What is wrong with a metric, param or tag key; null when it is valid.</summary>
    public static string? KeyError(string? key) =>
        string.IsNullOrWhiteSpace(key) ? "key is required."
        : key.Length > RunParam.MaxKeyLength ? $"key '{key[..20]}…' is longer than {RunParam.MaxKeyLength} characters."
        : key.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/' or ':')) ? $"key '{key}' may only hold letters, digits and _ - . / : or spaces."
        : null;
}
