using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Text;

namespace Portal.Web.Features.Monitoring;

/// <summary>
/// Reads what the monitoring loop wrote, for the dashboards, the managers' home and the API: a model's latest windows of a
/// kind, its alerts, and the health of every production model. Reads only; the loop writes.
/// </summary>
public sealed class MonitoringQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int DefaultLimit = 60;
    public const int MaxLimit = 500;

    /// <summary>Alerts a dashboard lists: every active one and the latest resolved ones, up to this many.</summary>
    public const int MaxAlerts = 50;

    /// <summary>A model's dashboard by name; null when no model has that name.</summary>
    public async Task<MonitoringDashboard?> DashboardAsync(string name, WindowKind kind, int limit, CancellationToken cancellationToken)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var normalized = TextRule.NormalizedName(name ?? "");
        var model = await db.RegisteredModels.AsNoTracking().Where(m => m.NormalizedName == normalized)
            .Select(m => new ModelRef(m.Id, m.Name, m.MonitoringPolicy)).FirstOrDefaultAsync(cancellationToken);
        if (model is null)
        {
            return null;
        }

        var windows = await db.MonitoringWindows.AsNoTracking().Where(w => w.ModelId == model.Id && w.Kind == kind)
            .OrderByDescending(w => w.EndUtc).Take(limit).ToListAsync(cancellationToken);
        windows.Reverse();
        var alerts = await db.MonitoringAlerts.AsNoTracking().Where(a => a.ModelId == model.Id)
            .OrderBy(a => a.Status == AlertStatus.Resolved ? 1 : 0).ThenByDescending(a => a.LastSeenUtc).Take(MaxAlerts).ToListAsync(cancellationToken);
        var champions = await ChampionsAsync(db, [model.Id], cancellationToken);
        var latest = windows.Count > 0 ? windows[^1] : await LatestWindowAsync(db, model.Id, null, cancellationToken);
        var active = alerts.Where(a => a.IsActive).Select(a => new AlertState(a.ModelId, a.Status, a.Severity)).ToList();
        var policy = model.Policy ?? MonitoringPolicy.Default;
        return new(Health(model, champions.GetValueOrDefault(model.Id), latest, active), kind, windows.Select(MonitoringWindowView.From).ToList(),
            alerts.Select(MonitoringAlertView.From).ToList(), policy);
    }

    /// <summary>Every model with a version in Production, by name, with its health (judged on its latest time window, else count window).</summary>
    public async Task<IReadOnlyList<ModelHealthView>> ProductionHealthAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = await db.ModelVersions.AsNoTracking().Where(v => v.Stage == ModelStage.Production).Select(v => v.ModelId).Distinct().ToListAsync(cancellationToken);
        if (ids.Count == 0)
        {
            return [];
        }

        var models = await db.RegisteredModels.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new ModelRef(m.Id, m.Name, m.MonitoringPolicy)).ToListAsync(cancellationToken);
        var champions = await ChampionsAsync(db, ids, cancellationToken);
        var alerts = await db.MonitoringAlerts.AsNoTracking().Where(a => ids.Contains(a.ModelId) && a.Status != AlertStatus.Resolved)
            .Select(a => new AlertState(a.ModelId, a.Status, a.Severity)).ToListAsync(cancellationToken);
        var health = new List<ModelHealthView>(models.Count);
        foreach (var model in models.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase))
        {
            var latest = await LatestWindowAsync(db, model.Id, WindowKind.Time, cancellationToken) ?? await LatestWindowAsync(db, model.Id, WindowKind.Count, cancellationToken);
            health.Add(Health(model, champions.GetValueOrDefault(model.Id), latest, alerts.Where(a => a.ModelId == model.Id).ToList()));
        }

        return health;
    }

    private static ModelHealthView Health(ModelRef model, Champion? champion, MonitoringWindow? latest, IReadOnlyList<AlertState> active)
    {
        var isRegression = champion?.Task == MlTask.Regression || (champion?.Task is null && latest?.MeanAbsoluteError is not null && latest.Accuracy is null);
        double? validation = champion is not null && champion.Metrics.TryGetValue(ModelHealthRule.ValidationMetricKey(champion.Task), out var v) && double.IsFinite(v) ? v : null;
        var live = isRegression ? latest?.MeanAbsoluteError : latest?.Accuracy;
        var drifted = latest?.Drift.Features.Where(f => f.Drifted).Select(f => f.Name).ToList() ?? [];
        var open = active.Where(a => a.Status == AlertStatus.Open).ToList();
        var inputs = new ModelHealthInputs(latest is not null, isRegression, validation, live, latest?.LabeledRows ?? 0, drifted.Count, open.Count,
            open.Count > 0 ? open.Max(a => a.Severity) : null, active.Count(a => a.Status == AlertStatus.Acknowledged));
        var (health, reason) = ModelHealthRule.Judge(inputs, model.Policy ?? MonitoringPolicy.Default);
        return new(model.Id, model.Name, champion?.Number, isRegression, validation, live, latest?.LabeledRows ?? 0, latest?.EndUtc, drifted, active.Count, health, reason);
    }

    private static Task<MonitoringWindow?> LatestWindowAsync(PortalDbContext db, RegisteredModelId modelId, WindowKind? kind, CancellationToken cancellationToken) =>
        db.MonitoringWindows.AsNoTracking().Where(w => w.ModelId == modelId && (kind == null || w.Kind == kind))
            .OrderByDescending(w => w.EndUtc).FirstOrDefaultAsync(cancellationToken);

    private static async Task<Dictionary<RegisteredModelId, Champion>> ChampionsAsync(PortalDbContext db, IReadOnlyCollection<RegisteredModelId> ids,
        CancellationToken cancellationToken)
    {
        var versions = await db.ModelVersions.AsNoTracking().Where(v => ids.Contains(v.ModelId) && v.Stage == ModelStage.Production)
            .Select(v => new { v.ModelId, v.Number, v.RunId, v.Metrics }).ToListAsync(cancellationToken);
        var runIds = versions.Select(v => v.RunId).ToList();
        var tasks = await db.Runs.AsNoTracking().Where(r => runIds.Contains(r.Id)).Select(r => new { r.Id, r.Task }).ToDictionaryAsync(r => r.Id, r => r.Task, cancellationToken);
        return versions.ToDictionary(v => v.ModelId, v => new Champion(v.Number, tasks.GetValueOrDefault(v.RunId), v.Metrics));
    }

    private sealed record ModelRef(RegisteredModelId Id, string Name, MonitoringPolicy? Policy);

    private sealed record Champion(int Number, MlTask? Task, IReadOnlyDictionary<string, double> Metrics);

    private sealed record AlertState(RegisteredModelId ModelId, AlertStatus Status, AlertSeverity Severity);
}
