using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Metrics;
using Portal.Domain.Datasets;
using Portal.Domain.Runs;
using Portal.Ml.Catalog;
using Portal.Ml.Evaluation;

namespace Portal.Web.Features.Runs.Queries;

/// <summary>Reads runs for pages, the API and the hub: one run with its metrics, params and diagnostics, its curves and log, and the filtered list.</summary>
public sealed class RunQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public async Task<RunDetails?> GetAsync(RunId runId, CancellationToken cancellationToken)
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
        var dataset = (await DatasetsAsync(db, [run], cancellationToken)).GetValueOrDefault(run.Id);
        var evaluationJson = await db.RunEvaluations.AsNoTracking().Where(e => e.RunId == runId).Select(e => e.Json).FirstOrDefaultAsync(cancellationToken);
        // The curve's last step, told with its reason once the run has ended (a live run's steps are still growing).
        long? lastStep = run.IsTerminal
            ? await db.RunMetrics.AsNoTracking().Where(m => m.RunId == runId && m.Key.StartsWith("validation.")).MaxAsync(m => (long?)m.Step, cancellationToken)
            : null;
        return new RunDetails(run.Id, run.ExperimentId, experiment, run.Status, run.Mode.ToString(), run.Task?.ToString().ToLowerInvariant(), run.Trainer,
            run.LabelColumn, run.DatasetVersionId, run.DatasetSha256, run.ValidationFraction, run.Seed,
            await db.LatestMetricsAsync(runId, cancellationToken),
            Params(run, parameters.Where(p => !p.IsTag)),
            parameters.Where(p => p.IsTag).ToDictionary(p => p.Key, p => p.Value),
            diagnostics.Select(d => new DiagnosticDto(d.Rule, d.Severity.ToString(), d.Message, JsonDocument.Parse(d.EvidenceJson).RootElement.Clone())).ToList(),
            run.FailureReason, run.Progress, run.ProgressStage, run.Attempt, run.SubmittedByName, run.SubmittedUtc, run.StartedUtc,
            run.FinishedUtc, run.Duration?.TotalSeconds, run.ModelSha256, run.LibraryVersion,
            dataset, evaluationJson is null ? null : ModelEvaluation.FromJson(evaluationJson),
            run.Mode == RunMode.Managed ? TrainingSteps.Explain(run.Task, run.Trainer, run.Hyperparameters, lastStep, run.Status, run.FailureReason) : null);
    }

    /// <summary>The path and size of a succeeded run's stored model, or null when it has none (unknown, unfinished, or no model).</summary>
    public async Task<(string Sha256, long? Bytes, string Trainer)?> ModelAsync(RunId runId, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().Where(r => r.Id == runId)
            .Select(r => new { r.Status, r.ModelSha256, r.ModelBytes, r.Trainer }).FirstOrDefaultAsync(cancellationToken);
        return run is { Status: RunStatus.Succeeded, ModelSha256: { } sha } ? (sha, run.ModelBytes, run.Trainer ?? "model") : null;
    }

    /// <summary>Every point of the given metric keys (all keys when null), ordered by step.</summary>
    public async Task<Dictionary<string, List<CurvePoint>>> CurvesAsync(RunId runId, IReadOnlyCollection<string>? keys, CancellationToken cancellationToken)
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

    public async Task<IReadOnlyList<RunLogDto>> LogAsync(RunId runId, int take, CancellationToken cancellationToken)
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

        if (query.DatasetId is { } datasetId)
        {
            var versions = await db.DatasetVersions.AsNoTracking().Where(v => v.DatasetId == datasetId).Select(v => v.Id).ToListAsync(cancellationToken);
            runs = runs.Where(r => r.DatasetVersionId != null && versions.Contains(r.DatasetVersionId.Value));
        }

        if (query.Metric is { } metric)
        {
            // Runs ranked by another metric (another task's) are not comparable with these: they are left out.
            runs = runs.Where(r => r.PrimaryMetric == metric);
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
        var datasets = await DatasetsAsync(db, pageRuns, cancellationToken);
        return new PagedResult<RunRow>(
            pageRuns.Select(r => new RunRow(r.Id, r.ExperimentId, experiments[r.ExperimentId], r.Status, r.Trainer, r.Task?.ToString(), r.SubmittedByName,
                r.SubmittedUtc, r.Duration?.TotalSeconds, r.PrimaryMetric, r.PrimaryMetricValue, r.Progress, datasets.GetValueOrDefault(r.Id))).ToList(),
            total, page, pageSize);
    }

    /// <summary>The datasets runs were trained on, by name and version, in two indexed reads.</summary>
    private static async Task<Dictionary<RunId, DatasetRef>> DatasetsAsync(PortalDbContext db, IReadOnlyList<Run> runs, CancellationToken cancellationToken)
    {
        var versionIds = runs.Where(r => r.DatasetVersionId is not null).Select(r => r.DatasetVersionId!.Value).Distinct().ToList();
        if (versionIds.Count == 0)
        {
            return [];
        }

        var versions = await db.DatasetVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id))
            .Select(v => new { v.Id, v.DatasetId, v.Version }).ToListAsync(cancellationToken);
        var datasetIds = versions.Select(v => v.DatasetId).Distinct().ToList();
        var names = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, d => d.Name, cancellationToken);
        var byVersion = versions.ToDictionary(v => v.Id, v => new DatasetRef(v.DatasetId, names[v.DatasetId], v.Version));
        return runs.Where(r => r.DatasetVersionId is { } id && byVersion.ContainsKey(id)).ToDictionary(r => r.Id, r => byVersion[r.DatasetVersionId!.Value]);
    }

    /// <summary>The datasets runs were trained on, for the run list's dataset filter.</summary>
    public async Task<IReadOnlyList<(DatasetId Id, string Name)>> DatasetsInUseAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var versionIds = await db.Runs.AsNoTracking().Where(r => r.DatasetVersionId != null).Select(r => r.DatasetVersionId!.Value).Distinct().ToListAsync(cancellationToken);
        var datasetIds = await db.DatasetVersions.AsNoTracking().Where(v => versionIds.Contains(v.Id)).Select(v => v.DatasetId).Distinct().ToListAsync(cancellationToken);
        var datasets = await db.Datasets.AsNoTracking().Where(d => datasetIds.Contains(d.Id)).OrderBy(d => d.Name).Select(d => new { d.Id, d.Name }).ToListAsync(cancellationToken);
        return [.. datasets.Select(d => (d.Id, d.Name))];
    }

    private static readonly System.Linq.Expressions.Expression<Func<Run, int>> LifecycleOrder = r =>
        r.Status == RunStatus.Queued ? 0
        : r.Status == RunStatus.Running ? 1
        : r.Status == RunStatus.Succeeded ? 2
        : r.Status == RunStatus.Failed ? 3
        : 4;

    public async Task<IReadOnlyList<string>> TrainersInUseAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Runs.AsNoTracking().Where(r => r.Trainer != null).Select(r => r.Trainer!).Distinct().OrderBy(t => t).ToListAsync(cancellationToken);
    }


    /// <summary>
    /// The run's params as the API has always shown them: a managed run's hyperparameters (stored once, on the run),
    /// validation fraction and seed, and any params an external run logged.
    /// </summary>
    private static Dictionary<string, string> Params(Run run, IEnumerable<RunParam> logged)
    {
        var parameters = run.Hyperparameters.ToDictionary(h => h.Key, h => h.Value.ToString("R", CultureInfo.InvariantCulture));
        if (run.Mode == RunMode.Managed)
        {
            parameters["validationFraction"] = run.ValidationFraction.ToString("R", CultureInfo.InvariantCulture);
            parameters["seed"] = run.Seed.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var p in logged)
        {
            parameters[p.Key] = p.Value;
        }

        return parameters;
    }
}
