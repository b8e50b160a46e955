using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Portal.Application.Datasets;
using Portal.Application.Privacy;
using Portal.Application.Registry;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Audit;
using Portal.Data.Lineage;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Datasets;
using Portal.Domain.Lineage;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;

namespace Portal.Application.Monitoring;

/// <summary>
/// Closes the monitoring loop. For each model with a <see cref="RetrainingPolicy"/> and a champion, a new open alert matching a
/// trigger (drift, accuracy drop) or a due schedule starts a <see cref="Retraining"/> — unless one of the model's retrainings is
/// running or the last started less than the policy's least interval ago. The retraining builds a new version of the champion's
/// training dataset from the prediction log joined with its feedback (through <see cref="DatasetIngestion"/>, so it is profiled and
/// classified like any upload), or takes a newer upload of that dataset when the log has too few labelled rows; submits a run with
/// the champion's recipe (<see cref="RunSubmission"/>); and once it succeeds registers the version and opens a promotion request to
/// Production whose justification names the alert (<see cref="ModelRegistry"/>, <see cref="PromotionWorkflow"/>). The loop never
/// promotes: the automated gates evaluate the request and people approve it. Everything is done as <see cref="Actor"/>, so any
/// business manager may approve (four-eyes). Too few labelled rows: the retraining waits, saying why.
/// </summary>
public sealed class RetrainingLoop(
    IDbContextFactory<PortalDbContext> dbFactory,
    DatasetIngestion ingestion,
    RunSubmission runs,
    ModelRegistry registry,
    PromotionWorkflow workflow,
    AuditTrail audit,
    TimeProvider time,
    ErasureRetrainingData erasureData)
{
    /// <summary>The system actor that submits, registers and requests: never a person, so never one who may not decide.</summary>
    public static readonly AuditActor Actor = AuditActor.Service("retraining");

    /// <summary>The loop requests promotions as a data scientist would.</summary>
    public static readonly IReadOnlyCollection<string> ActorRoles = [Roles.DataScientist];

    /// <summary>Largest training file the loop writes.</summary>
    private const long MaxCsvBytes = 512L * 1024 * 1024;

    /// <summary>Starts the retrainings that are due; returns the ids of those started (leased by the caller).</summary>
    public async Task<IReadOnlyList<RetrainingId>> StartDueAsync(RetrainingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        List<RegisteredModelId> candidates;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            // The policy is a JSON column: read the few models and filter here.
            candidates = (await db.RegisteredModels.AsNoTracking().Select(m => new { m.Id, m.RetrainingPolicy }).ToListAsync(cancellationToken))
                .Where(m => m.RetrainingPolicy is not null).Select(m => m.Id).ToList();
            // An erasure's "retrain required" task is due whatever the model's policy says.
            candidates = [.. candidates.Union(await db.Retrainings.AsNoTracking()
                .Where(r => r.State == RetrainingState.Waiting && r.Trigger == RetrainingTrigger.Erasure).Select(r => r.ModelId).Distinct()
                .ToListAsync(cancellationToken))];
        }

        var started = new List<RetrainingId>();
        foreach (var modelId in candidates)
        {
            try
            {
                if (await StartIfDueAsync(modelId, settings, cancellationToken) is { } id)
                {
                    started.Add(id);
                }
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another worker (or a person) changed the model first: the next round decides again.
            }
        }

        return started;
    }

    /// <summary>Claims the running retrainings this worker may advance (its own and those whose holder went silent).</summary>
    public async Task<IReadOnlyList<RetrainingId>> ClaimRunningAsync(RetrainingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = time.GetUtcNow();
        var running = await db.Retrainings
            .Where(r => (r.State == RetrainingState.Preparing || r.State == RetrainingState.Training)
                && (r.LeaseOwner == null || r.LeaseOwner == settings.WorkerId || r.LeaseExpiresUtc < now.UtcDateTime))
            .OrderBy(r => r.StartedUtc).Take(20).ToListAsync(cancellationToken);
        var claimed = new List<RetrainingId>();
        foreach (var retraining in running)
        {
            if (!retraining.Claim(settings.WorkerId, now, settings.Lease))
            {
                continue;
            }

            RegistryConcurrency.Touch(db, retraining);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                claimed.Add(retraining.Id);
            }
            catch (DbUpdateConcurrencyException)
            {
                db.Entry(retraining).State = EntityState.Detached;
            }
        }

        return claimed;
    }

    /// <summary>Lets this worker's leases go on an orderly stop.</summary>
    public async Task ReleaseAllAsync(string workerId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        foreach (var retraining in await db.Retrainings.Where(r => r.LeaseOwner == workerId).ToListAsync(cancellationToken))
        {
            retraining.Release(workerId);
            RegistryConcurrency.Touch(db, retraining);
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Changed meanwhile; the lease lapses by itself.
        }
    }

    /// <summary>Takes a leased retraining one step: prepares its data and submits its run, or, once the run ends, requests promotion (or fails).</summary>
    public async Task<RetrainingState?> AdvanceAsync(RetrainingId id, RetrainingSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        RetrainingState state;
        await using (var db = await dbFactory.CreateDbContextAsync(cancellationToken))
        {
            var retraining = await db.Retrainings.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
            if (retraining is null || retraining.LeaseOwner != settings.WorkerId)
            {
                return retraining?.State;
            }

            state = retraining.State;
        }

        return state switch
        {
            RetrainingState.Preparing => await PrepareAsync(id, settings, cancellationToken),
            RetrainingState.Training => await FinishAsync(id, settings, cancellationToken),
            _ => state,
        };
    }

    private async Task<RetrainingId?> StartIfDueAsync(RegisteredModelId modelId, RetrainingSettings settings, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Id == modelId, cancellationToken);
        var mine = await db.Retrainings.Where(r => r.ModelId == modelId).ToListAsync(cancellationToken);
        if (model.Champion is not { } champion || mine.Any(r => r.IsRunning))
        {
            return null;
        }

        var now = time.GetUtcNow();
        // Retraining without erased data is a duty, not an optimisation: neither the policy nor its least interval holds it back.
        if (mine.Where(r => r.State == RetrainingState.Waiting && r.Trigger == RetrainingTrigger.Erasure).MinBy(r => r.CreatedUtc) is { } erasure)
        {
            RegistryConcurrency.Touch(db, erasure);
            return await StartAsync(db, model, champion, erasure, null, settings, now, cancellationToken);
        }

        if (model.RetrainingPolicy is not { } policy)
        {
            return null;
        }

        var lastStart = mine.Max(r => r.StartedUtc);
        if (lastStart is { } last && last + TimeSpan.FromHours(policy.MinimumHoursBetween) > now.UtcDateTime)
        {
            return null;
        }

        var (trigger, alert) = await TriggerAsync(db, model, policy, champion, lastStart, mine, now, cancellationToken);
        if (trigger is null)
        {
            return null;
        }

        var retraining = alert is null
            ? mine.FirstOrDefault(r => r.State == RetrainingState.Waiting && r.Trigger == RetrainingTrigger.Schedule)
            : mine.FirstOrDefault(r => r.State == RetrainingState.Waiting && r.AlertId == alert.Id);
        var from = await DataFromAsync(db, alert, champion, lastStart, cancellationToken);
        var labelled = await RetrainingData.CountLabelledAsync(db, model.Id, from, cancellationToken);
        if (labelled < policy.MinimumRows && await NewerUploadAsync(db, model, champion, cancellationToken) is null)
        {
            var reason = string.Create(CultureInfo.InvariantCulture,
                $"Waiting for labelled rows: {labelled:N0} of the {policy.MinimumRows:N0} needed have been predicted since {from:yyyy-MM-dd HH:mm} UTC and labelled.");
            if (retraining is null)
            {
                db.Retrainings.Add(Retraining.Wait(RetrainingId.New(now), model.Id, champion.Id, trigger.Value, alert?.Id, reason, now));
            }
            else
            {
                retraining.StillWaiting(reason, now);
                RegistryConcurrency.Touch(db, retraining);
            }

            await db.SaveChangesAsync(cancellationToken);
            return null;
        }

        if (retraining is null)
        {
            retraining = Retraining.Wait(RetrainingId.New(now), model.Id, champion.Id, trigger.Value, alert?.Id, "", now);
            db.Retrainings.Add(retraining);
        }
        else
        {
            RegistryConcurrency.Touch(db, retraining);
        }

        return await StartAsync(db, model, champion, retraining, alert, settings, now, cancellationToken);
    }

    private async Task<RetrainingId> StartAsync(PortalDbContext db, RegisteredModel model, ModelVersion champion, Retraining retraining, MonitoringAlert? alert,
        RetrainingSettings settings, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var trigger = retraining.Trigger;
        retraining.Start(champion.Id, settings.WorkerId, now, settings.Lease);
        // The model's revision decides between two workers starting a retraining of it at once.
        RegistryConcurrency.Touch(db, model);
        var why = Cause(trigger, alert);
        audit.Record(db, Actor, AuditActions.RetrainingStarted, AuditSubject.RegisteredModel(model.Id), new
        {
            model = model.Name,
            retrainingId = retraining.Id.ToString(),
            trigger = trigger.ToString(),
            alertId = alert?.Id.ToString(),
            erasureRequestId = retraining.ErasureRequestId?.ToString(),
            why,
            champion = champion.Number,
        });
        await db.EnqueueWebhooksAsync(WebhookEventTypes.RetrainingStarted, new
        {
            retrainingId = retraining.Id.ToString(),
            model = model.Name,
            trigger = trigger.ToString(),
            alertId = alert?.Id.ToString(),
            why,
            champion = champion.Number,
        }, now, cancellationToken);
        db.PublishModelChanged(model, $"retraining started: {why}", now);
        await db.SaveChangesAsync(cancellationToken);
        return retraining.Id;
    }

    /// <summary>The trigger due now: the earliest open matching alert raised since the last retraining started (not yet acted on), else the schedule.</summary>
    private static async Task<(RetrainingTrigger? Trigger, MonitoringAlert? Alert)> TriggerAsync(PortalDbContext db, RegisteredModel model, RetrainingPolicy policy,
        ModelVersion champion, DateTime? lastStart, List<Retraining> mine, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var rules = new List<AlertRule>();
        if (policy.OnDrift)
        {
            rules.Add(AlertRule.Drift);
        }

        if (policy.OnAccuracyDrop)
        {
            rules.Add(AlertRule.AccuracyDrop);
        }

        if (rules.Count > 0)
        {
            var since = lastStart ?? DateTime.MinValue;
            var acted = mine.Where(r => r.AlertId is not null && r.State != RetrainingState.Waiting).Select(r => r.AlertId!.Value).ToHashSet();
            var alerts = await db.MonitoringAlerts.AsNoTracking()
                .Where(a => a.ModelId == model.Id && a.Status == AlertStatus.Open && rules.Contains(a.Rule) && a.RaisedUtc > since)
                .OrderBy(a => a.RaisedUtc).ToListAsync(cancellationToken);
            if (alerts.FirstOrDefault(a => !acted.Contains(a.Id)) is { } alert)
            {
                return (alert.Rule == AlertRule.Drift ? RetrainingTrigger.Drift : RetrainingTrigger.AccuracyDrop, alert);
            }
        }

        if (policy.ScheduleHours is { } hours && (lastStart ?? champion.StageChangedUtc) + TimeSpan.FromHours(hours) <= now.UtcDateTime)
        {
            return (RetrainingTrigger.Schedule, null);
        }

        return (null, null);
    }

    /// <summary>Where the latest data window starts: the window that raised the alert, else the last retraining (or the champion's promotion).</summary>
    private static async Task<DateTime> DataFromAsync(PortalDbContext db, MonitoringAlert? alert, ModelVersion champion, DateTime? lastStart,
        CancellationToken cancellationToken)
    {
        if (alert is not null)
        {
            var windowStart = await db.MonitoringWindows.Where(w => w.Id == alert.WindowId).Select(w => (DateTime?)w.StartUtc).FirstOrDefaultAsync(cancellationToken);
            return windowStart ?? alert.RaisedUtc;
        }

        return lastStart ?? champion.StageChangedUtc;
    }

    /// <summary>A version of the champion's training dataset uploaded after the champion took Production (not the hold-out, not the loop's own).</summary>
    private static Task<DatasetVersion?> NewerUploadAsync(PortalDbContext db, RegisteredModel model, ModelVersion champion, CancellationToken cancellationToken)
    {
        if (champion.DatasetVersionIds.Count == 0)
        {
            return Task.FromResult<DatasetVersion?>(null);
        }

        var trainedOn = champion.DatasetVersionIds[0];
        var holdOut = model.HoldOutDatasetVersionId;
        var datasetIds = db.DatasetVersions.Where(v => v.Id == trainedOn).Select(v => v.DatasetId);
        var trainedVersion = db.DatasetVersions.Where(v => v.Id == trainedOn).Select(v => v.Version);
        return db.DatasetVersions.AsNoTracking().Include(v => v.Columns)
            .Where(v => datasetIds.Contains(v.DatasetId) && v.Version > trainedVersion.First() && v.CreatedUtc > champion.StageChangedUtc
                && v.UploadedBy != Actor.Id && (holdOut == null || v.Id != holdOut))
            .OrderByDescending(v => v.Version).FirstOrDefaultAsync(cancellationToken);
    }

    private async Task<RetrainingState> PrepareAsync(RetrainingId id, RetrainingSettings settings, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var retraining = await db.Retrainings.FirstAsync(r => r.Id == id, cancellationToken);
        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstAsync(m => m.Id == retraining.ModelId, cancellationToken);
        var champion = model.Versions.First(v => v.Id == retraining.ChampionVersionId);
        var recipe = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == champion.RunId, cancellationToken);
        if (recipe is not { Mode: RunMode.Managed, Task: { } task, Trainer: { } trainer, LabelColumn: { } label } || champion.DatasetVersionIds.Count == 0)
        {
            return await FailAsync(db, retraining, model, "The champion was not trained by the portal (an external run): there is no recipe to retrain.", cancellationToken);
        }

        var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == recipe.ExperimentId).Select(e => e.Name).FirstAsync(cancellationToken);
        var trainedOn = await db.DatasetVersions.AsNoTracking().Where(v => v.Id == champion.DatasetVersionIds[0])
            .Join(db.Datasets, v => v.DatasetId, d => d.Id, (v, d) => new { d.Id, d.Name }).FirstAsync(cancellationToken);
        var alert = retraining.AlertId is { } alertId ? await db.MonitoringAlerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == alertId, cancellationToken) : null;
        var policy = model.RetrainingPolicy ?? RetrainingPolicy.Default;
        var from = await DataFromAsync(db, alert, champion, await LastStartBeforeAsync(db, retraining, cancellationToken), cancellationToken);

        DatasetVersion? data;
        string source;
        var fromPredictionLog = false;
        var (csv, rows) = retraining.Trigger == RetrainingTrigger.Erasure
            ? ("", 0)
            : await RetrainingData.BuildCsvAsync(db, model.Id, champion.InputSignature, label, from, settings.MaxRows, cancellationToken);
        if (retraining.Trigger == RetrainingTrigger.Erasure)
        {
            var erased = await erasureData.BuildAsync(retraining, champion, Actor, cancellationToken);
            if (!erased.Succeeded)
            {
                return await FailAsync(db, retraining, model, erased.Error!, cancellationToken);
            }

            data = erased.Value!.Version;
            rows = (int)Math.Min(int.MaxValue, erased.Value.Rows);
            source = erased.Value.Source;
        }
        else if (rows >= policy.MinimumRows)
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes(csv));
            var staged = await ingestion.StageAsync(content, MaxCsvBytes, cancellationToken);
            if (!staged.Succeeded)
            {
                return await FailAsync(db, retraining, model, $"The prediction log did not make a dataset: {staged.Error}", cancellationToken);
            }

            using var upload = staged.Value!;
            var fileName = string.Create(CultureInfo.InvariantCulture, $"{model.Name}-prediction-log-{time.GetUtcNow():yyyyMMdd-HHmmss}.csv");
            data = (await ingestion.SaveAsync(trainedOn.Name, fileName, upload, Actor, cancellationToken)).Version;
            source = string.Create(CultureInfo.InvariantCulture, $"{rows:N0} labelled rows of the prediction log (dataset {trainedOn.Name} v{data.Version})");
            fromPredictionLog = true;
        }
        else if (await NewerUploadAsync(db, model, champion, cancellationToken) is { } newer)
        {
            data = newer;
            rows = (int)Math.Min(int.MaxValue, newer.RowCount);
            source = string.Create(CultureInfo.InvariantCulture, $"the newer upload {trainedOn.Name} v{newer.Version} ({newer.RowCount:N0} rows)");
        }
        else
        {
            return await FailAsync(db, retraining, model, string.Create(CultureInfo.InvariantCulture,
                $"Only {rows:N0} of the {policy.MinimumRows:N0} labelled rows needed were in the prediction log when the data was built."), cancellationToken);
        }

        var submitted = await runs.SubmitAsync(new SubmitRun(experiment, trainedOn.Id, data.Version, label, task, trainer,
            recipe.Hyperparameters, recipe.ValidationFraction, recipe.Seed), Actor, cancellationToken);
        if (!submitted.Succeeded)
        {
            return await FailAsync(db, retraining, model, $"The run with the champion's recipe was refused: {submitted.Error}", cancellationToken);
        }

        var now = time.GetUtcNow();
        retraining.Prepared(data.Id, rows, submitted.Value, now);
        if (fromPredictionLog && model.ProductionHistory.LastOrDefault(p => p.VersionId == champion.Id) is { } deployment)
        {
            // The champion's deployment logged the predictions this dataset version was built from.
            LineageRecorder.Record(db, LineageDerivation.Deployment(deployment.RequestId), LineageDerivation.Node(data.Id), LineageEdgeKind.Produced, now);
        }

        retraining.StillWaiting(source, now); // what it trains on, for the justification
        retraining.Claim(settings.WorkerId, now, settings.Lease);
        RegistryConcurrency.Touch(db, retraining);
        await db.SaveChangesAsync(cancellationToken);
        return retraining.State;
    }

    private async Task<RetrainingState> FinishAsync(RetrainingId id, RetrainingSettings settings, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var retraining = await db.Retrainings.FirstAsync(r => r.Id == id, cancellationToken);
        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstAsync(m => m.Id == retraining.ModelId, cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstAsync(r => r.Id == retraining.RunId, cancellationToken);
        var now = time.GetUtcNow();
        if (!run.IsTerminal)
        {
            retraining.Claim(settings.WorkerId, now, settings.Lease);
            RegistryConcurrency.Touch(db, retraining);
            await db.SaveChangesAsync(cancellationToken);
            return retraining.State;
        }

        if (run.Status != RunStatus.Succeeded)
        {
            return await FailAsync(db, retraining, model, $"Run {run.Id} {run.Status.ToString().ToLowerInvariant()}: {run.FailureReason ?? "no reason recorded"}", cancellationToken);
        }

        // Registered already (a previous attempt stopped after registering)? Then carry on from that version.
        var version = model.FindVersion(run.Id);
        if (version is null)
        {
            var registered = await registry.RegisterVersionAsync(model.Name, run.Id, Actor, cancellationToken);
            if (!registered.Succeeded)
            {
                return await FailAsync(db, retraining, model, $"Run {run.Id} could not be registered as a version of {model.Name}: {registered.Error}", cancellationToken);
            }

            version = registered.Value!;
        }

        var alert = retraining.AlertId is { } alertId ? await db.MonitoringAlerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == alertId, cancellationToken) : null;
        var justification = Justification(retraining, alert, model.Versions.FirstOrDefault(v => v.Id == retraining.ChampionVersionId)?.Number);
        var request = await db.PromotionRequests.AsNoTracking()
            .Where(r => r.VersionId == version.Id && r.TargetStage == ModelStage.Production && r.RequestedBy == Actor.Id)
            .OrderByDescending(r => r.RequestedUtc).Select(r => (PromotionRequestId?)r.Id).FirstOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            var requested = await workflow.RequestAsync(new RequestPromotion(model.Name, version.Number, ModelStage.Production, justification), Actor, ActorRoles,
                cancellationToken);
            if (!requested.Succeeded)
            {
                return await FailAsync(db, retraining, model, $"Version {version.Number} could not be put forward for Production: {requested.Error}", cancellationToken);
            }

            request = requested.Value!.Id;
        }

        retraining.Requested(version.Number, request.Value, justification, time.GetUtcNow());
        RegistryConcurrency.Touch(db, retraining);
        await db.SaveChangesAsync(cancellationToken);
        return retraining.State;
    }

    private async Task<DateTime?> LastStartBeforeAsync(PortalDbContext db, Retraining retraining, CancellationToken cancellationToken) =>
        await db.Retrainings.Where(r => r.ModelId == retraining.ModelId && r.Id != retraining.Id && r.StartedUtc != null && r.StartedUtc < retraining.StartedUtc)
            .MaxAsync(r => r.StartedUtc, cancellationToken);

    private async Task<RetrainingState> FailAsync(PortalDbContext db, Retraining retraining, RegisteredModel model, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        retraining.Fail(reason, now);
        RegistryConcurrency.Touch(db, retraining);
        audit.Record(db, Actor, AuditActions.RetrainingFailed, AuditSubject.RegisteredModel(model.Id), new
        {
            model = model.Name,
            retrainingId = retraining.Id.ToString(),
            trigger = retraining.Trigger.ToString(),
            alertId = retraining.AlertId?.ToString(),
            runId = retraining.RunId?.ToString(),
            reason,
        });
        await db.SaveChangesAsync(cancellationToken);
        return retraining.State;
    }

    /// <summary>What set it off, in words: "drift alert on income (PSI 0.41 ≥ 0.20 …) raised 2026-12-02 14:02 UTC".</summary>
    public static string Cause(RetrainingTrigger trigger, MonitoringAlert? alert)
    {
        if (alert is null)
        {
            return trigger switch
            {
                RetrainingTrigger.Schedule => "the retraining schedule",
                RetrainingTrigger.Erasure => "an erasure request of the data protection officer",
                _ => $"a {Words(trigger)} alert",
            };
        }

        var on = alert.Feature.Length > 0 ? $" on {alert.Feature}" : "";
        return string.Create(CultureInfo.InvariantCulture, $"{Words(trigger)} alert{on} ({alert.Message}) raised {alert.RaisedUtc:yyyy-MM-dd HH:mm} UTC");
    }

    /// <summary>The promotion request's justification: the alert (with its id), the data, and the champion whose recipe was used.</summary>
    public static string Justification(Retraining retraining, MonitoringAlert? alert, int? championNumber)
    {
        ArgumentNullException.ThrowIfNull(retraining);
        var text = new StringBuilder(retraining.Trigger == RetrainingTrigger.Schedule ? "Retrained on schedule" : $"Retrained after {Cause(retraining.Trigger, alert)}");
        text.Append("; trained on ").Append(retraining.Reason ?? "the latest data");
        if (championNumber is { } number)
        {
            text.Append(CultureInfo.InvariantCulture, $" with the recipe of version {number}");
        }

        text.Append('.');
        if (retraining.AlertId is { } alertId)
        {
            text.Append(CultureInfo.InvariantCulture, $" Alert {alertId}.");
        }

        if (retraining.ErasureRequestId is { } erasureId)
        {
            text.Append(CultureInfo.InvariantCulture, $" Erasure request {erasureId}.");
        }

        return text.Length > PromotionRequest.MaxTextLength ? text.ToString(0, PromotionRequest.MaxTextLength - 1) + "…" : text.ToString();
    }

    private static string Words(RetrainingTrigger trigger) => trigger switch
    {
        RetrainingTrigger.Drift => "drift",
        RetrainingTrigger.AccuracyDrop => "accuracy-drop",
        _ => "scheduled",
    };
}
