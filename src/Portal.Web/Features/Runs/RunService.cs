using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Artifacts;
using Portal.Data.Audit;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Experiments;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Web.Features.Datasets;
using Portal.Web.Features.Experiments;
using Portal.Application.Live;
using Portal.Application.Runs;

namespace Portal.Web.Features.Runs;

/// <summary>Submits, reads, lists, compares and cancels runs; takes batches logged by externally tracked runs.</summary>
public sealed class RunService(
    IDbContextFactory<PortalDbContext> dbFactory,
    ContentAddressedStore store,
    AuditTrail audit,
    ExperimentService experiments,
    TrainingQueueSignal signal,
    RunFeed feed,
    TimeProvider time)
{
    public const string SubmittedAction = "run.submitted";
    public const string CancelledAction = "run.cancelled";
    public const int MaxMetricsPerBatch = 1000;
    public const int MaxParamsPerBatch = 100;
    public const int MaxTagsPerBatch = 100;

    public Task<OperationResult<Guid>> SubmitAsync(SubmitRunRequest request, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        SubmitAsync(request, user, cancellationToken, retried: false);

    private async Task<OperationResult<Guid>> SubmitAsync(SubmitRunRequest request, ClaimsPrincipal user, CancellationToken cancellationToken, bool retried)
    {
        var external = string.Equals(request.Mode, "external", StringComparison.OrdinalIgnoreCase);
        if (!external && request.Mode is not null && !string.Equals(request.Mode, "managed", StringComparison.OrdinalIgnoreCase))
        {
            return Invalid("mode must be 'managed' (the default) or 'external'.");
        }

        var experimentName = request.Experiment?.Trim() ?? "";
        if (experimentName.Length is 0 or > Experiment.MaxNameLength)
        {
            return Invalid($"experiment is required: a name of 1 to {Experiment.MaxNameLength} characters (created if absent).");
        }

        MlTask? task = null;
        if (request.Task is not null)
        {
            if (!Enum.TryParse<MlTask>(request.Task, ignoreCase: true, out var parsed) || int.TryParse(request.Task, out _))
            {
                return Invalid("task must be binary, multiclass or regression.");
            }

            task = parsed;
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        DatasetVersion? version = null;
        if (request.DatasetId is { } datasetId)
        {
            var number = request.DatasetVersion ?? await db.Datasets.Where(d => d.Id == datasetId).Select(d => (int?)d.LatestVersion).FirstOrDefaultAsync(cancellationToken);
            version = await db.DatasetVersions.Include(v => v.Columns)
                .FirstOrDefaultAsync(v => v.DatasetId == datasetId && v.Version == number, cancellationToken);
            if (version is null)
            {
                return Invalid($"Dataset {datasetId} has no version {request.DatasetVersion?.ToString(CultureInfo.InvariantCulture) ?? "(latest)"}.");
            }
        }

        // Added to the context now, saved only with the run: a refused submission creates no experiment.
        var experiment = await db.Experiments.FirstOrDefaultAsync(e => e.Name == experimentName, cancellationToken);
        var newExperiment = experiment is null;
        if (experiment is null)
        {
            experiment = Experiment.Create(experimentName, "", user.UserId(), time.GetUtcNow());
            db.Experiments.Add(experiment);
            experiments.RecordCreated(db, experiment, user);
        }

        Run run;
        IReadOnlyDictionary<string, double> hyperparameters = new Dictionary<string, double>();
        if (external)
        {
            run = Run.StartExternal(experiment.Id, version?.Id, version?.Sha256, task, request.Trainer, request.LabelColumn,
                user.UserId(), user.UserName(), time.GetUtcNow());
        }
        else
        {
            if (version is null)
            {
                return Invalid("datasetId (and datasetVersion, default latest) is required for a managed run.");
            }

            if (task is null)
            {
                return Invalid("task is required: binary, multiclass or regression.");
            }

            var validated = ValidateManaged(request, version, task.Value);
            if (!validated.Succeeded)
            {
                return OperationResult<Guid>.Fail(validated.Status, validated.Error!);
            }

            hyperparameters = validated.Value!;
            run = Run.SubmitManaged(experiment.Id, version.Id, version.Sha256, task.Value, TrainerName(task.Value, request.Trainer!),
                request.LabelColumn!, JsonSerializer.Serialize(hyperparameters), request.ValidationFraction ?? 0.2, request.Seed ?? 42,
                user.UserId(), user.UserName(), time.GetUtcNow());
        }

        db.Runs.Add(run);
        db.RunParams.AddRange(hyperparameters.Select(h => new RunParam { RunId = run.Id, Key = h.Key, Value = h.Value.ToString("R", CultureInfo.InvariantCulture) }));
        if (!external)
        {
            db.RunParams.AddRange(
                new RunParam { RunId = run.Id, Key = "validationFraction", Value = run.ValidationFraction.ToString("R", CultureInfo.InvariantCulture) },
                new RunParam { RunId = run.Id, Key = "seed", Value = run.Seed.ToString(CultureInfo.InvariantCulture) });
        }

        audit.Record(db, user.ToAuditActor(), SubmittedAction, new AuditSubject("Run", run.Id.ToString()), new
        {
            experiment = experimentName,
            mode = run.Mode.ToString(),
            dataset = version?.Sha256,
            task = run.Task?.ToString(),
            run.Trainer,
            run.LabelColumn,
            hyperparameters,
            run.ValidationFraction,
            run.Seed,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (newExperiment && !retried)
        {
            // Another submission (a parallel sweep) or the experiments page created the same name first: the unique
            // index refused ours, and nothing of this submission was saved. Submit again into the experiment now there.
            return await SubmitAsync(request, user, cancellationToken, retried: true);
        }

        signal.Notify();
        return OperationResult<Guid>.Ok(run.Id);
    }

    public async Task<RunDetails?> GetAsync(Guid runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var experiment = await db.Experiments.Where(e => e.Id == run.ExperimentId).Select(e => e.Name).FirstAsync(cancellationToken);
        var parameters = await db.RunParams.AsNoTracking().Where(p => p.RunId == runId).ToListAsync(cancellationToken);
        var diagnostics = await db.RunDiagnostics.AsNoTracking().Where(d => d.RunId == runId).OrderBy(d => d.Id).ToListAsync(cancellationToken);
        return new RunDetails(run.Id, run.ExperimentId, experiment, run.Status, run.Mode.ToString(), run.Task?.ToString().ToLowerInvariant(), run.Trainer,
            run.LabelColumn, run.DatasetVersionId, run.DatasetSha256, run.ValidationFraction, run.Seed,
            await LatestMetricsAsync(db, runId, cancellationToken),
            parameters.Where(p => !p.IsTag).ToDictionary(p => p.Key, p => p.Value),
            parameters.Where(p => p.IsTag).ToDictionary(p => p.Key, p => p.Value),
            diagnostics.Select(d => new DiagnosticDto(d.Rule, d.Severity.ToString(), d.Message, JsonDocument.Parse(d.EvidenceJson).RootElement.Clone())).ToList(),
            run.FailureReason, run.Progress, run.ProgressStage, run.Attempt, run.SubmittedByName, run.SubmittedUtc, run.StartedUtc,
            run.FinishedUtc, run.Duration?.TotalSeconds, run.ModelSha256, run.LibraryVersion);
    }

    /// <summary>Every point of the given metric keys (all keys when null), ordered by step.</summary>
    public async Task<Dictionary<string, List<CurvePoint>>> CurvesAsync(Guid runId, IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId);
        if (keys is { Count: > 0 })
        {
            query = query.Where(m => keys.Contains(m.Key));
        }

        var rows = await query.OrderBy(m => m.Key).ThenBy(m => m.Step).ThenBy(m => m.Id)
            .Select(m => new { m.Key, m.Step, m.Value }).ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Select(r => new CurvePoint(r.Step, r.Value)).ToList());
    }

    public async Task<IReadOnlyList<RunLogDto>> LogAsync(Guid runId, int take, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var lines = await db.RunLogLines.AsNoTracking().Where(l => l.RunId == runId).OrderByDescending(l => l.Id).Take(take)
            .Select(l => new RunLogDto(l.TimestampUtc, l.Message)).ToListAsync(cancellationToken);
        lines.Reverse();
        return lines;
    }

    public async Task<PagedResult<RunRow>> ListAsync(RunQuery query, CancellationToken cancellationToken)
    {
        var (page, pageSize) = PagedResult<RunRow>.Normalize(query.Page, query.PageSize);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var runs = db.Runs.AsNoTracking();
        if (query.ExperimentId is { } experimentId)
        {
            runs = runs.Where(r => r.ExperimentId == experimentId);
        }

        if (query.Status is { } status)
        {
            runs = runs.Where(r => r.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(query.Trainer))
        {
            runs = runs.Where(r => r.Trainer == query.Trainer);
        }

        if (!string.IsNullOrWhiteSpace(query.SubmittedBy))
        {
            // Case-insensitive on both providers (SQLite's instr and PostgreSQL's strpos both match case).
            var submitter = query.SubmittedBy.Trim().ToLowerInvariant();
            runs = runs.Where(r => r.SubmittedByName.ToLower().Contains(submitter));
        }

        if (query.MetricMin is { } min)
        {
            runs = runs.Where(r => r.PrimaryMetricValue >= min);
        }

        if (query.MetricMax is { } max)
        {
            runs = runs.Where(r => r.PrimaryMetricValue <= max);
        }

        var total = await runs.CountAsync(cancellationToken);
        var skip = page * pageSize;
        List<Run> pageRuns;
        if (query.SortBy.Equals("metric", StringComparison.OrdinalIgnoreCase))
        {
            // Runs without a metric (queued, running, failed) come last either way, on both providers (SQLite sorts NULL
            // first, PostgreSQL last). Two reads keep each one an index range: the scored runs in metric order, then,
            // once a page runs past them, the unscored ones newest first.
            var scored = runs.Where(r => r.PrimaryMetricValue != null);
            var scoredCount = await scored.CountAsync(cancellationToken);
            pageRuns = skip >= scoredCount ? [] : await (query.Descending
                    ? scored.OrderByDescending(r => r.PrimaryMetricValue).ThenByDescending(r => r.SubmittedUtc)
                    : scored.OrderBy(r => r.PrimaryMetricValue).ThenByDescending(r => r.SubmittedUtc))
                .Skip(skip).Take(pageSize).ToListAsync(cancellationToken);
            if (pageRuns.Count < pageSize)
            {
                pageRuns.AddRange(await runs.Where(r => r.PrimaryMetricValue == null).OrderByDescending(r => r.SubmittedUtc)
                    .Skip(Math.Max(0, skip - scoredCount)).Take(pageSize - pageRuns.Count).ToListAsync(cancellationToken));
            }
        }
        else
        {
            pageRuns = await ((query.SortBy.ToLowerInvariant(), query.Descending) switch
            {
                ("trainer", true) => runs.OrderByDescending(r => r.Trainer).ThenByDescending(r => r.SubmittedUtc),
                ("trainer", false) => runs.OrderBy(r => r.Trainer).ThenByDescending(r => r.SubmittedUtc),
                // In lifecycle order (Queued, Running, Succeeded, Failed, Cancelled), not the stored text's alphabet.
                ("status", true) => runs.OrderByDescending(LifecycleOrder).ThenByDescending(r => r.SubmittedUtc),
                ("status", false) => runs.OrderBy(LifecycleOrder).ThenByDescending(r => r.SubmittedUtc),
                (_, false) => runs.OrderBy(r => r.SubmittedUtc),
                _ => runs.OrderByDescending(r => r.SubmittedUtc),
            }).Skip(skip).Take(pageSize).ToListAsync(cancellationToken);
        }

        var experimentIds = pageRuns.Select(r => r.ExperimentId).Distinct().ToList();
        var experiments = await db.Experiments.AsNoTracking().Where(e => experimentIds.Contains(e.Id)).ToDictionaryAsync(e => e.Id, e => e.Name, cancellationToken);
        return new PagedResult<RunRow>(
            pageRuns.Select(r => new RunRow(r.Id, r.ExperimentId, experiments[r.ExperimentId], r.Status, r.Trainer, r.Task?.ToString(), r.SubmittedByName,
                r.SubmittedUtc, r.Duration?.TotalSeconds, r.PrimaryMetric, r.PrimaryMetricValue, r.Progress)).ToList(),
            total, page, pageSize);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Run, int>> LifecycleOrder = r =>
        r.Status == RunStatus.Queued ? 0
        : r.Status == RunStatus.Running ? 1
        : r.Status == RunStatus.Succeeded ? 2
        : r.Status == RunStatus.Failed ? 3
        : 4;

    public async Task<OperationResult<RunDetails>> CancelAsync(Guid runId, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.NotFound, "No such run.");
        }

        var before = run.Status;
        try
        {
            run.RequestCancel(time.GetUtcNow());
        }
        catch (InvalidOperationException ex)
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.Conflict, ex.Message);
        }

        audit.Record(db, user.ToAuditActor(), CancelledAction, new AuditSubject("Run", run.Id.ToString()),
            new { before = before.ToString(), after = run.Status.ToString(), stopRequested = run.Status == RunStatus.Running });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.Conflict, "The run changed state at the same moment; look again and retry.");
        }

        await feed.PublishAsync(new RunUpdate(run.Id, run.Status, run.Progress, run.ProgressStage, [], "Cancellation requested."));
        return OperationResult<RunDetails>.Ok((await GetAsync(runId, cancellationToken))!);
    }

    public async Task<OperationResult<int>> LogBatchAsync(Guid runId, LogBatchRequest batch, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var metrics = batch.Metrics ?? [];
        var parameters = batch.Params ?? [];
        var tags = batch.Tags ?? [];
        if (metrics.Count > MaxMetricsPerBatch || parameters.Count > MaxParamsPerBatch || tags.Count > MaxTagsPerBatch)
        {
            return OperationResult<int>.Fail(OperationStatus.Invalid,
                $"A batch holds at most {MaxMetricsPerBatch} metrics, {MaxParamsPerBatch} params and {MaxTagsPerBatch} tags; got {metrics.Count}, {parameters.Count}, {tags.Count}.");
        }

        for (var i = 0; i < metrics.Count; i++)
        {
            var m = metrics[i];
            if (KeyError(m.Key) is { } keyError)
            {
                return OperationResult<int>.Fail(OperationStatus.Invalid, $"metrics[{i}]: {keyError}");
            }

            if (m.Value is not { } v || !double.IsFinite(v))
            {
                return OperationResult<int>.Fail(OperationStatus.Invalid, $"metrics[{i}] ('{m.Key}'): value must be a finite number.");
            }
        }

        foreach (var (pairs, what) in new[] { (parameters, "params"), (tags, "tags") })
        {
            for (var i = 0; i < pairs.Count; i++)
            {
                if (KeyError(pairs[i].Key) is { } keyError)
                {
                    return OperationResult<int>.Fail(OperationStatus.Invalid, $"{what}[{i}]: {keyError}");
                }

                if (pairs[i].Value is null || pairs[i].Value!.Length > RunParam.MaxValueLength)
                {
                    return OperationResult<int>.Fail(OperationStatus.Invalid, $"{what}[{i}] ('{pairs[i].Key}'): value is required, at most {RunParam.MaxValueLength} characters.");
                }
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.SubmittedBy, r.Mode, r.Status, r.Progress, r.ProgressStage }).FirstOrDefaultAsync(cancellationToken);
        if (run is null || run.SubmittedBy != user.UserId())
        {
            return OperationResult<int>.Fail(OperationStatus.NotFound, "No such run of yours.");
        }

        if (run.Mode != RunMode.External || run.Status != RunStatus.Running)
        {
            return OperationResult<int>.Fail(OperationStatus.Conflict,
                run.Mode != RunMode.External ? "Only externally tracked runs take logged batches." : $"The run is {run.Status}; it takes no more data.");
        }

        var keys = parameters.Select(p => p.Key!).Concat(tags.Select(t => t.Key!)).ToList();
        var existing = keys.Count == 0 ? []
            : await db.RunParams.AsNoTracking().Where(p => p.RunId == runId && keys.Contains(p.Key)).ToListAsync(cancellationToken);
        foreach (var p in parameters)
        {
            if (existing.FirstOrDefault(e => !e.IsTag && e.Key == p.Key) is { } logged && logged.Value != p.Value)
            {
                return OperationResult<int>.Fail(OperationStatus.Invalid, $"Param '{p.Key}' was already logged as '{logged.Value}'; params cannot change.");
            }
        }

        var now = time.GetUtcNow();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.RunParams.AddRange(parameters.DistinctBy(p => p.Key).Where(p => !existing.Any(e => !e.IsTag && e.Key == p.Key))
            .Select(p => new RunParam { RunId = runId, Key = p.Key!, Value = p.Value! }));
        foreach (var tag in tags.DistinctBy(t => t.Key))
        {
            if (existing.FirstOrDefault(e => e.IsTag && e.Key == tag.Key) is { } old)
            {
                db.RunParams.Attach(old);
                old.Value = tag.Value!;
                db.Entry(old).Property(o => o.Value).IsModified = true;
            }
            else
            {
                db.RunParams.Add(new RunParam { RunId = runId, IsTag = true, Key = tag.Key!, Value = tag.Value! });
            }
        }

        // Metrics go in through one prepared INSERT (MetricRows; EF's tracked per-entity INSERT ... RETURNING was the
        // bottleneck, see docs/benchmarks.md); params and tags through the change tracker; one transaction for all.
        var pairsChanged = db.ChangeTracker.HasChanges();
        await using (var transaction = metrics.Count > 0 ? await db.Database.BeginTransactionAsync(cancellationToken) : null)
        {
            await MetricRows.InsertAsync(db, runId, metrics, now.UtcDateTime, cancellationToken);
            if (pairsChanged)
            {
                await db.SaveChangesAsync(cancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        if (metrics.Count > 0)
        {
            await feed.PublishAsync(new RunUpdate(runId, RunStatus.Running, run.Progress, run.ProgressStage,
                metrics.Select(m => new MetricPoint(m.Key!, m.Value!.Value, m.Step ?? 0)).ToList(), null));
        }

        return OperationResult<int>.Ok(metrics.Count + parameters.Count + tags.Count);
    }

    public async Task<OperationResult<RunDetails>> UploadModelAsync(Guid runId, Stream content, ClaimsPrincipal user, long maxBytes, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.SubmittedBy != user.UserId())
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.NotFound, "No such run of yours.");
        }

        if (run.Mode != RunMode.External || run.Status != RunStatus.Running)
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.Conflict, "Only a running, externally tracked run takes a model artifact.");
        }

        StoredBlob blob;
        try
        {
            blob = await store.PutAsync(content, maxBytes, cancellationToken);
        }
        catch (BlobRejectedException ex)
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.Invalid, ex.Message);
        }

        run.AttachModel(blob.Sha256, blob.Size);
        await db.SaveChangesAsync(cancellationToken);
        return OperationResult<RunDetails>.Ok((await GetAsync(runId, cancellationToken))!);
    }

    public async Task<OperationResult<RunDetails>> EndAsync(Guid runId, EndRunRequest request, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        if (!Enum.TryParse<RunStatus>(request.Status, ignoreCase: true, out var status)
            || status is not (RunStatus.Succeeded or RunStatus.Failed or RunStatus.Cancelled) || int.TryParse(request.Status, out _))
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.Invalid, "status must be Succeeded, Failed or Cancelled.");
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null || run.SubmittedBy != user.UserId())
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.NotFound, "No such run of yours.");
        }

        if (run.Mode != RunMode.External || run.Status != RunStatus.Running)
        {
            return OperationResult<RunDetails>.Fail(OperationStatus.Conflict, $"The run is {run.Mode} and {run.Status}; only a running external run takes an end status.");
        }

        var metrics = await LatestMetricsAsync(db, runId, cancellationToken);
        if (run.Task is { } task && metrics.TryGetValue(Run.PrimaryMetricFor(task), out var primary))
        {
            run.SetPrimaryMetric(Run.PrimaryMetricFor(task), primary);
        }

        run.EndExternal(status, time.GetUtcNow(), request.Reason);
        if (status == RunStatus.Cancelled)
        {
            audit.Record(db, user.ToAuditActor(), CancelledAction, new AuditSubject("Run", run.Id.ToString()), new { mode = "external" });
        }

        await db.SaveChangesAsync(cancellationToken);
        await feed.PublishAsync(new RunUpdate(runId, run.Status, 1, run.Status.ToString(), [], request.Reason));
        return OperationResult<RunDetails>.Ok((await GetAsync(runId, cancellationToken))!);
    }

    public async Task<IReadOnlyList<string>> TrainersInUseAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.Trainer != null).Select(r => r.Trainer!).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<(Guid Id, string Name)>> ExperimentsAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var rows = await db.Experiments.AsNoTracking().OrderBy(e => e.Name).Select(e => new { e.Id, e.Name }).ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.Name)).ToList();
    }

    private static async Task<Dictionary<string, double>> LatestMetricsAsync(PortalDbContext db, Guid runId, CancellationToken cancellationToken)
    {
        var latest = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId)
            .GroupBy(m => m.Key)
            .Select(g => g.OrderByDescending(m => m.Step).ThenByDescending(m => m.Id).Select(m => new { m.Key, m.Value }).First())
            .ToListAsync(cancellationToken);
        return latest.ToDictionary(m => m.Key, m => m.Value);
    }

    private static OperationResult<IReadOnlyDictionary<string, double>> ValidateManaged(SubmitRunRequest request, DatasetVersion version, MlTask task)
    {
        static OperationResult<IReadOnlyDictionary<string, double>> Fail(string message) =>
            OperationResult<IReadOnlyDictionary<string, double>>.Fail(OperationStatus.Invalid, message);

        if (string.IsNullOrWhiteSpace(request.LabelColumn))
        {
            return Fail("labelColumn is required.");
        }

        var label = version.Columns.FirstOrDefault(c => c.Name == request.LabelColumn);
        if (label is null)
        {
            return Fail($"labelColumn '{request.LabelColumn}' does not exist in version {version.Version}. Columns: {string.Join(", ", version.Columns.OrderBy(c => c.Ordinal).Select(c => c.Name))}.");
        }

        if (request.ValidationFraction is { } fraction && (fraction < 0.05 || fraction > 0.5 || !double.IsFinite(fraction)))
        {
            return Fail("validationFraction must be between 0.05 and 0.5.");
        }

        if (request.Seed is < 0)
        {
            return Fail("seed must be zero or positive.");
        }

        var hyperparameters = new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Hyperparameters ?? [])
        {
            if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number))
            {
                return Fail($"Hyperparameter '{name}' must be a number.");
            }

            hyperparameters[name] = number;
        }

        var errors = TrainerCatalog.Validate(task, request.Trainer ?? "", hyperparameters);
        if (errors.Count > 0)
        {
            return Fail(string.Join(" ", errors));
        }

        var profile = JsonSerializer.Deserialize<List<ColumnProfile>>(version.ProfileJson, DatasetService.ProfileJson)?
            .FirstOrDefault(p => p.Name == label.Name);
        if (profile is not null && LabelFitError(task, label.Name, profile) is { } fitError)
        {
            return Fail(fitError);
        }

        return OperationResult<IReadOnlyDictionary<string, double>>.Ok(TrainerCatalog.Find(task, request.Trainer!)!.Resolve(hyperparameters));
    }

    internal static string? LabelFitError(MlTask task, string name, ColumnProfile label) => (task, label) switch
    {
        (_, { Count: 0 }) => $"The label column '{name}' is all missing.",
        (MlTask.Binary, { Distinct: not 2 }) => $"A binary task needs a label with exactly two values; '{name}' has {label.Distinct}.",
        (MlTask.Multiclass, { Distinct: < 2 }) => $"A multiclass task needs a label with at least two values; '{name}' has {label.Distinct}.",
        (MlTask.Multiclass, { Type: ColumnType.Text } or { Distinct: > 1000 }) => $"'{name}' has {label.Distinct} distinct values: that is not a set of classes.",
        (MlTask.Regression, { Type: not ColumnType.Numeric }) => $"A regression task needs a numeric label; '{name}' is {label.Type.ToString().ToLowerInvariant()}.",
        _ => null,
    };

    private static string TrainerName(MlTask task, string trainer) => TrainerCatalog.Find(task, trainer)!.Name;

    private static string? KeyError(string? key) =>
        string.IsNullOrWhiteSpace(key) ? "key is required."
        : key.Length > RunParam.MaxKeyLength ? $"key '{key[..20]}…' is longer than {RunParam.MaxKeyLength} characters."
        : key.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-' or '.' or ' ' or '/' or ':')) ? $"key '{key}' may only hold letters, digits and _ - . / : or spaces."
        : null;

    private static OperationResult<Guid> Invalid(string error) => OperationResult<Guid>.Fail(OperationStatus.Invalid, error);
}
