using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Ml.Evaluation;

namespace Portal.Application.Registry.Cards;

/// <summary>
/// Reads the facts of a model card from what a version's run stored: the run (task, trainer, hyperparameters, split, seed,
/// library), its experiment, the dataset version it trained on with each column's classification, its final metrics, its
/// evaluation (confusion matrix, per-class metrics, residuals) and its diagnostics. A handful of indexed reads.
/// </summary>
public sealed class ModelCardFactsBuilder(IDbContextFactory<PortalDbContext> dbFactory, TimeProvider time)
{
    private const string TrainRowsTag = "rows.train";
    private const string ValidationRowsTag = "rows.validation";
    private const string LibraryVersionTag = "mlnet.version";

    /// <summary>The facts of version <paramref name="versionId"/>, made by run <paramref name="runId"/>; null when the run does not exist.</summary>
    public async Task<ModelCardFacts?> BuildAsync(ModelVersionId versionId, RunId runId, ModelCardInputs? inputs, CancellationToken cancellationToken)
    {
        inputs ??= ModelCardInputs.None;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId, cancellationToken);
        if (run is null)
        {
            return null;
        }

        var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == run.ExperimentId).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken) ?? "";
        var parameters = await db.RunParams.AsNoTracking().Where(p => p.RunId == runId).ToListAsync(cancellationToken);
        var tags = parameters.Where(p => p.IsTag).GroupBy(p => p.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Value, StringComparer.Ordinal);
        var diagnostics = await db.RunDiagnostics.AsNoTracking().Where(d => d.RunId == runId).OrderBy(d => d.Id)
            .Select(d => new ModelCardDiagnostic(d.Rule, d.Severity, d.Message)).ToListAsync(cancellationToken);
        var evaluationJson = await db.RunEvaluations.AsNoTracking().Where(e => e.RunId == runId).Select(e => e.Json).FirstOrDefaultAsync(cancellationToken);

        return new ModelCardFacts(
            versionId,
            runId,
            inputs.ModelName,
            inputs.VersionNumber,
            inputs.Stage,
            experiment,
            run.Mode,
            run.Status,
            run.Task,
            run.LabelColumn,
            Recipe(run, parameters.Where(p => !p.IsTag), tags),
            await DatasetAsync(db, run, cancellationToken),
            await MetricsAsync(db, run, cancellationToken),
            evaluationJson is null ? null : ModelEvaluation.FromJson(evaluationJson),
            diagnostics,
            inputs.FeatureImportance,
            inputs.Fairness,
            run.ModelSha256,
            run.SubmittedByName,
            run.SubmittedUtc,
            run.FinishedUtc,
            time.GetUtcNow().UtcDateTime);
    }

    /// <summary>A managed run's hyperparameters (stored on the run) with its split and seed; an external run's logged params.</summary>
    private static ModelCardRecipe Recipe(Run run, IEnumerable<RunParam> logged, Dictionary<string, string> tags)
    {
        var parameters = run.Hyperparameters
            .Select(h => new ModelCardParameter(h.Key, h.Value.ToString("R", CultureInfo.InvariantCulture)))
            .Concat(logged.Select(p => new ModelCardParameter(p.Key, p.Value)))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ToList();
        var managed = run.Mode == RunMode.Managed;
        return new ModelCardRecipe(
            run.Trainer,
            parameters,
            managed ? run.ValidationFraction : null,
            managed ? run.Seed : null,
            run.LibraryVersion ?? tags.GetValueOrDefault(LibraryVersionTag),
            Count(tags, TrainRowsTag),
            Count(tags, ValidationRowsTag));
    }

    private static long? Count(Dictionary<string, string> tags, string key) =>
        tags.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) ? count : null;

    private static async Task<ModelCardDataset?> DatasetAsync(PortalDbContext db, Run run, CancellationToken cancellationToken)
    {
        if (run.DatasetVersionId is not { } versionId)
        {
            return null;
        }

        var version = await db.DatasetVersions.AsNoTracking().Where(v => v.Id == versionId)
            .Select(v => new { v.DatasetId, v.Version, v.RowCount, v.Sha256 }).FirstOrDefaultAsync(cancellationToken);
        if (version is null)
        {
            return null;
        }

        var name = await db.Datasets.AsNoTracking().Where(d => d.Id == version.DatasetId).Select(d => d.Name).FirstAsync(cancellationToken);
        var columns = await db.DatasetColumns.AsNoTracking().Where(c => c.DatasetVersionId == versionId).OrderBy(c => c.Ordinal).ToListAsync(cancellationToken);
        return new ModelCardDataset(version.DatasetId, versionId, name, version.Version, version.RowCount, version.Sha256,
            [.. columns.Select(c => new ModelCardColumn(c.Name, c.Type, c.Name == run.LabelColumn, c.PersonalDataSuspected, c.SuspicionReason, c.Classification))]);
    }

    /// <summary>
    /// The last value of each metric (the final evaluation), learning-curve keys left out: the task's catalogue metrics first, in
    /// the catalogue's order (primary first), then any other metric an external run logged, by name.
    /// </summary>
    private static async Task<IReadOnlyList<ModelCardMetric>> MetricsAsync(PortalDbContext db, Run run, CancellationToken cancellationToken)
    {
        var latest = await db.RunMetrics.AsNoTracking().Where(m => m.RunId == run.Id)
            .GroupBy(m => m.Key)
            .Select(g => g.OrderByDescending(m => m.Step).ThenByDescending(m => m.Id).Select(m => new { m.Key, m.Value }).First())
            .ToListAsync(cancellationToken);
        var values = latest.Where(m => !MetricCatalog.CurvePrefixes.Any(p => m.Key.StartsWith(p, StringComparison.Ordinal)))
            .ToDictionary(m => m.Key, m => m.Value, StringComparer.Ordinal);
        var order = run.Task is { } task ? MetricCatalog.ForTask(task).Select(d => d.Name).ToList() : [];
        return [.. values
            .OrderBy(m => order.IndexOf(m.Key) is var i and >= 0 ? i : int.MaxValue)
            .ThenBy(m => m.Key, StringComparer.Ordinal)
            .Select(m => Metric(m.Key, m.Value))];
    }

    private static ModelCardMetric Metric(string key, double value)
    {
        var definition = MetricCatalog.Describe(key);
        return new ModelCardMetric(key, definition.DisplayName, value, definition.DirectionText);
    }
}
