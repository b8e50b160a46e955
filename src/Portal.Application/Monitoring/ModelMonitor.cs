using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Portal.Application.Registry;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Serving;

namespace Portal.Application.Monitoring;

/// <summary>How one monitoring round reads the log: how long after a batch's time it is taken as complete (log writers on other
/// nodes flush late), the lease it renews, the batches it reads at most at a time, and how far back late labels are re-read.</summary>
public sealed record MonitoringRoundSettings(TimeSpan Grace, TimeSpan Lease, int MaxBatchesPerRound, TimeSpan LabelRefresh);

/// <summary>What a round did for one model and window kind.</summary>
public sealed record MonitoringRoundResult(int Windows, int LabelUpdates, int AlertsRaised, int AlertsRepeated, int AlertsCleared, DateTime? CursorUtc)
{
    public static MonitoringRoundResult Nothing(DateTime? cursorUtc) => new(0, 0, 0, 0, 0, cursorUtc);
}

/// <summary>
/// The monitoring loop's use case for one model and window kind, run by the worker that holds the model's cursor lease: reads the
/// champion arm's logged batches after the cursor in (received time, id) order up to now − grace, cuts the closed windows
/// (<see cref="WindowCutter"/>), measures each (rows, refusals, prediction distribution, data quality against the training
/// profile, drift against the training reference, live accuracy or MAE from the feedback so far), judges its alerts
/// (<see cref="AlertRaiser"/>) and writes the windows, the alerts, their audit entries, webhooks and live events and the advanced
/// cursor in ONE transaction: a worker killed at any point loses no window and writes none twice; its successor resumes from the
/// committed cursor and re-reads the rows of the window that was still filling. A window that cannot be measured (rows that do
/// not parse, a reference that fails to load, an unexpected error) is still written, with what could be counted, and raises a
/// data-quality alert: the cursor moves past it and the loop goes on. Then late labels: the windows that ended within the refresh
/// horizon are re-read against the feedback and updated when their labels changed.
/// </summary>
public sealed class ModelMonitor(
    IDbContextFactory<PortalDbContext> dbFactory,
    MonitoredVersions versions,
    WindowDrift drift,
    AlertRaiser raiser,
    TimeProvider time,
    ILogger<ModelMonitor> logger)
{
    /// <summary>Read at most this many batch headers when a single window holds more than <see cref="MonitoringRoundSettings.MaxBatchesPerRound"/>.</summary>
    private const int MaxHeaders = 4_000_000;

    public async Task<OperationResult<MonitoringRoundResult>> MonitorAsync(RegisteredModelId modelId, WindowKind kind, string workerId, MonitoringRoundSettings settings,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var total = MonitoringRoundResult.Nothing(null);
        while (true)
        {
            var step = await RegistryConcurrency.RetryAsync<(MonitoringRoundResult Result, bool More)>(dbFactory,
                db => AdvanceAsync(db, modelId, kind, workerId, settings, cancellationToken), cancellationToken);
            if (!step.Succeeded)
            {
                return step.FailAs<MonitoringRoundResult>();
            }

            var (result, more) = step.Value;
            total = total with
            {
                Windows = total.Windows + result.Windows, AlertsRaised = total.AlertsRaised + result.AlertsRaised,
                AlertsRepeated = total.AlertsRepeated + result.AlertsRepeated, AlertsCleared = total.AlertsCleared + result.AlertsCleared,
                CursorUtc = result.CursorUtc,
            };
            if (!more || result.Windows == 0)
            {
                break;
            }
        }

        var labels = await RegistryConcurrency.RetryAsync(dbFactory, db => RefreshLabelsAsync(db, modelId, kind, workerId, settings, cancellationToken), cancellationToken);
        if (!labels.Succeeded)
        {
            return labels.FailAs<MonitoringRoundResult>();
        }

        return OperationResult<MonitoringRoundResult>.Ok(total with
        {
            LabelUpdates = labels.Value!.LabelUpdates, AlertsRaised = total.AlertsRaised + labels.Value.AlertsRaised,
            AlertsRepeated = total.AlertsRepeated + labels.Value.AlertsRepeated, AlertsCleared = total.AlertsCleared + labels.Value.AlertsCleared,
        });
    }

    private async Task<OperationResult<(MonitoringRoundResult, bool)>> AdvanceAsync(PortalDbContext db, RegisteredModelId modelId, WindowKind kind, string workerId,
        MonitoringRoundSettings settings, CancellationToken cancellationToken)
    {
        var cursor = await db.MonitoringCursors.FirstOrDefaultAsync(c => c.ModelId == modelId && c.Kind == kind, cancellationToken);
        if (cursor is null || cursor.LeaseOwner != workerId)
        {
            return OperationResult<(MonitoringRoundResult, bool)>.Fail(OperationStatus.Conflict, $"{workerId} does not hold the {kind} monitoring lease of model {modelId}.");
        }

        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstOrDefaultAsync(m => m.Id == modelId, cancellationToken);
        if (model is null)
        {
            return OperationResult<(MonitoringRoundResult, bool)>.Fail(OperationStatus.NotFound, $"No model {modelId}.");
        }

        var now = time.GetUtcNow();
        var policy = model.MonitoringPolicy ?? MonitoringPolicy.Default;
        var readUntil = now.UtcDateTime - settings.Grace;
        var limit = settings.MaxBatchesPerRound;
        List<BatchHeader> headers;
        IReadOnlyList<WindowSpan> spans;
        bool truncated;
        while (true)
        {
            (headers, truncated) = await HeadersAsync(db, cursor, readUntil, limit, cancellationToken);
            spans = WindowCutter.Cut(headers, kind, policy, readUntil, truncated);
            if (spans.Count > 0 || !truncated || limit >= MaxHeaders)
            {
                break;
            }

            // One window holds more batches than a round reads: read further until it closes.
            limit *= 2;
        }

        cursor.Lease(workerId, now + settings.Lease);
        RegistryConcurrency.Touch(db, cursor);
        if (spans.Count == 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            return OperationResult<(MonitoringRoundResult, bool)>.Ok((MonitoringRoundResult.Nothing(cursor.LastReceivedUtc), false));
        }

        var last = headers[spans[^1].Last];
        var wanted = headers.Take(spans[^1].Last + 1).Select(h => h.Id).ToHashSet();
        var from = headers[0].ReceivedUtc;
        var batches = (await db.PredictionBatches.AsNoTracking()
                .Where(b => b.ModelId == modelId && b.Arm == ServingArm.Champion && b.ReceivedUtc >= from && b.ReceivedUtc <= last.ReceivedUtc)
                .ToListAsync(cancellationToken))
            .Where(b => wanted.Contains(b.Id))
            .ToDictionary(b => b.Id);
        var previous = await PreviousAsync(db, modelId, kind, cancellationToken);
        var book = await raiser.OpenAsync(db, model, cancellationToken);
        var (raised, repeated, cleared) = (0, 0, 0);
        foreach (var span in spans)
        {
            var version = model.FindVersion(span.VersionId);
            var monitored = version is null ? null : await versions.GetAsync(db, version, cancellationToken);
            var window = await MeasureAsync(db, model, monitored, kind, span, headers, batches, policy, now, cancellationToken);
            db.MonitoringWindows.Add(window);
            if (monitored is not null)
            {
                var outcome = await raiser.EvaluateAsync(db, book, window, monitored, previous, policy, workerId, cancellationToken);
                (raised, repeated, cleared) = (raised + outcome.Raised.Count, repeated + outcome.Repeated.Count, cleared + outcome.Cleared.Count);
            }

            db.PublishMonitoringChanged(window, now);
            previous.Add(window);
        }

        var next = spans[^1].Last + 1 < headers.Count ? headers[spans[^1].Last + 1].ReceivedUtc : (DateTime?)null;
        cursor.Advance(last.ReceivedUtc, last.Id.Value, next, now);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogDebug("Model {Model}: {Windows} {Kind} windows written up to {CursorUtc:o}.", model.Name, spans.Count, kind, last.ReceivedUtc);
        return OperationResult<(MonitoringRoundResult, bool)>.Ok((new MonitoringRoundResult(spans.Count, 0, raised, repeated, cleared, last.ReceivedUtc), truncated));
    }

    /// <summary>The champion arm's batches after the cursor, up to <paramref name="readUntil"/>, without their rows.</summary>
    private static async Task<(List<BatchHeader>, bool Truncated)> HeadersAsync(PortalDbContext db, MonitoringCursor cursor, DateTime readUntil, int limit,
        CancellationToken cancellationToken)
    {
        var modelId = cursor.ModelId;
        var after = cursor.LastReceivedUtc ?? DateTime.MinValue;
        var query = db.PredictionBatches.AsNoTracking()
            .Where(b => b.ModelId == modelId && b.Arm == ServingArm.Champion && b.ReceivedUtc >= after && b.ReceivedUtc <= readUntil)
            .OrderBy(b => b.ReceivedUtc).ThenBy(b => b.Id)
            .Select(b => new BatchHeader(b.Id, b.ReceivedUtc, b.RowCount, b.ModelVersionId, b.VersionNumber));
        var rows = await query.Take(limit).ToListAsync(cancellationToken);
        var truncated = rows.Count == limit;
        if (cursor.LastBatchId is { } lastId)
        {
            // Batches at the cursor's own time: skip those up to the cursor's batch, in the database's own order of ids.
            var tied = rows.TakeWhile(h => h.ReceivedUtc == after).ToList();
            var at = tied.FindIndex(h => h.Id.Value == lastId);
            rows.RemoveRange(0, at >= 0 ? at + 1 : tied.Count);
        }

        return (rows, truncated);
    }

    private static async Task<List<MonitoringWindow>> PreviousAsync(PortalDbContext db, RegisteredModelId modelId, WindowKind kind, CancellationToken cancellationToken)
    {
        var latest = await db.MonitoringWindows.AsNoTracking().Where(w => w.ModelId == modelId && w.Kind == kind)
            .OrderByDescending(w => w.EndUtc).Take(AlertRaiser.ClearAfterWindows).ToListAsync(cancellationToken);
        latest.Reverse();
        return latest;
    }

    private async Task<MonitoringWindow> MeasureAsync(PortalDbContext db, RegisteredModel model, MonitoredVersion? version, WindowKind kind, WindowSpan span,
        List<BatchHeader> headers, Dictionary<PredictionBatchId, PredictionBatch> batches, MonitoringPolicy policy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var id = MonitoringWindowId.New(now);
        var start = new DateTimeOffset(span.StartUtc, TimeSpan.Zero);
        var end = new DateTimeOffset(span.EndUtc, TimeSpan.Zero);
        try
        {
            if (version is null)
            {
                throw new InvalidOperationException($"version {span.VersionNumber} is no longer in the registry");
            }

            var builder = new WindowBuilder(version);
            for (var i = span.First; i <= span.Last; i++)
            {
                if (batches.TryGetValue(headers[i].Id, out var batch))
                {
                    builder.Add(batch);
                }
            }

            var problems = new List<string>(builder.Problems);
            if (version.ReferenceProblem is { } referenceProblem)
            {
                problems.Add(referenceProblem);
            }

            var (report, driftProblem) = await drift.CompareAsync(version, builder.Columns, policy, cancellationToken);
            if (driftProblem is not null)
            {
                problems.Add($"drift not judged: {driftProblem}");
            }

            var labels = await WindowLabels.ReadAsync(db, model.Id, span.VersionId, span.StartUtc, span.EndUtc, cancellationToken);
            var window = MonitoringWindow.Record(id, model.Id, span.VersionId, span.VersionNumber, kind, start, end, builder.Rows, builder.ErrorRows,
                builder.Predictions(), report, builder.Quality(), Summary(builder.Rows, builder.SchemaViolations, labels, report, problems), now);
            window.UpdateLabels(labels.Labeled, labels.Accuracy, labels.MeanAbsoluteError, now);
            if (problems.Count > 0)
            {
                logger.LogWarning("Model {Model}: the {Kind} window {Start:o}–{End:o} of version {Version} was not fully measured: {Problems}",
                    model.Name, kind, span.StartUtc, span.EndUtc, span.VersionNumber, string.Join(" | ", problems));
            }

            return window;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A poisoned window: written with what the headers say, so the cursor moves past it; its empty drift raises the alert.
            logger.LogError(ex, "Model {Model}: the {Kind} window {Start:o}–{End:o} could not be measured; it is written with its row count and the loop goes on.",
                model.Name, kind, span.StartUtc, span.EndUtc);
            var errors = 0L;
            for (var i = span.First; i <= span.Last; i++)
            {
                errors += batches.TryGetValue(headers[i].Id, out var batch) ? batch.ErrorCount : 0;
            }

            return MonitoringWindow.Record(id, model.Id, span.VersionId, span.VersionNumber, kind, start, end, span.Rows, errors, [], DriftReport.Empty,
                new WindowQuality(span.Rows, errors, []), $"Not measured: {ex.Message}", now);
        }
    }

    private async Task<OperationResult<MonitoringRoundResult>> RefreshLabelsAsync(PortalDbContext db, RegisteredModelId modelId, WindowKind kind, string workerId,
        MonitoringRoundSettings settings, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var since = now.UtcDateTime - settings.LabelRefresh;
        var windows = await db.MonitoringWindows.Where(w => w.ModelId == modelId && w.Kind == kind && w.EndUtc >= since)
            .OrderBy(w => w.EndUtc).ToListAsync(cancellationToken);
        if (windows.Count == 0 || settings.LabelRefresh <= TimeSpan.Zero)
        {
            return OperationResult<MonitoringRoundResult>.Ok(MonitoringRoundResult.Nothing(null));
        }

        var cursor = await db.MonitoringCursors.FirstOrDefaultAsync(c => c.ModelId == modelId && c.Kind == kind, cancellationToken);
        if (cursor is null || cursor.LeaseOwner != workerId)
        {
            return OperationResult<MonitoringRoundResult>.Fail(OperationStatus.Conflict, $"{workerId} does not hold the {kind} monitoring lease of model {modelId}.");
        }

        var sums = await WindowLabels.SumsAsync(db, modelId, windows.Min(w => w.StartUtc), windows.Max(w => w.EndUtc), cancellationToken);
        var model = await db.RegisteredModels.AsNoTracking().Include(m => m.Versions).FirstAsync(m => m.Id == modelId, cancellationToken);
        var policy = model.MonitoringPolicy ?? MonitoringPolicy.Default;
        var previous = (await db.MonitoringWindows.AsNoTracking().Where(w => w.ModelId == modelId && w.Kind == kind && w.EndUtc < since)
            .OrderByDescending(w => w.EndUtc).Take(AlertRaiser.ClearAfterWindows).ToListAsync(cancellationToken)).AsEnumerable().Reverse().ToList();
        AlertBook? book = null;
        var (updates, raised, repeated, cleared) = (0, 0, 0, 0);
        foreach (var window in windows)
        {
            var labels = WindowLabels.From(sums.Where(s => s.VersionId == window.ModelVersionId && s.PredictedUtc >= window.StartUtc && s.PredictedUtc < window.EndUtc));
            if (labels.Labeled != window.LabeledRows || labels.Accuracy != window.Accuracy || labels.MeanAbsoluteError != window.MeanAbsoluteError)
            {
                window.UpdateLabels(labels.Labeled, labels.Accuracy, labels.MeanAbsoluteError, now);
                db.PublishMonitoringChanged(window, now);
                updates++;
                if (model.FindVersion(window.ModelVersionId) is { } version)
                {
                    book ??= await raiser.OpenAsync(db, model, cancellationToken);
                    var outcome = await raiser.EvaluateAsync(db, book, window, await versions.GetAsync(db, version, cancellationToken), previous, policy, workerId,
                        cancellationToken, labelsOnly: true);
                    (raised, repeated, cleared) = (raised + outcome.Raised.Count, repeated + outcome.Repeated.Count, cleared + outcome.Cleared.Count);
                }
            }

            previous.Add(window);
        }

        if (updates > 0)
        {
            // The lease is the licence to write this model's windows: touching the cursor makes a lost lease a conflict, not a double write.
            RegistryConcurrency.Touch(db, cursor);
            await db.SaveChangesAsync(cancellationToken);
        }

        return OperationResult<MonitoringRoundResult>.Ok(new MonitoringRoundResult(0, updates, raised, repeated, cleared, null));
    }

    private static string Summary(long rows, long refused, WindowLabels labels, DriftReport report, IReadOnlyList<string> problems)
    {
        var parts = new List<string> { $"{rows.ToString("N0", CultureInfo.InvariantCulture)} rows" };
        if (refused > 0)
        {
            parts.Add($"{refused.ToString("N0", CultureInfo.InvariantCulture)} refused");
        }

        if (labels.Accuracy is { } accuracy)
        {
            parts.Add($"accuracy {accuracy.ToString("0.000", CultureInfo.InvariantCulture)} on {labels.Labeled.ToString("N0", CultureInfo.InvariantCulture)} labels");
        }
        else if (labels.MeanAbsoluteError is { } mae)
        {
            parts.Add($"MAE {mae.ToString("0.###", CultureInfo.InvariantCulture)} on {labels.Labeled.ToString("N0", CultureInfo.InvariantCulture)} labels");
        }

        if (report.Features.Count > 0)
        {
            parts.Add(report.DriftedCount == 1 ? "1 feature drifted" : $"{report.DriftedCount.ToString(CultureInfo.InvariantCulture)} features drifted");
        }

        parts.AddRange(problems.Take(2));
        return string.Join("; ", parts);
    }
}
