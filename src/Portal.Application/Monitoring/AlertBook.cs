using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;

namespace Portal.Application.Monitoring;

/// <summary>
/// A model's alerts as one unit of work sees them (<see cref="AlertRaiser.OpenAsync"/>): the active ones (open or acknowledged,
/// tracked, so repeats and clears are saved with the windows), when each cause was last resolved (the cool-down), and the end of
/// the window each active alert was last seen in. Kept up to date as the unit of work raises and clears, so several windows
/// judged in one transaction see each other's alerts.
/// </summary>
public sealed class AlertBook
{
    private readonly Dictionary<(AlertRule, string), MonitoringAlert> active;
    private readonly Dictionary<(AlertRule, string), DateTime> resolved;
    private readonly Dictionary<MonitoringAlertId, DateTime> lastSeenWindowEnd;

    private AlertBook(RegisteredModelId modelId, string modelName, Dictionary<(AlertRule, string), MonitoringAlert> active,
        Dictionary<(AlertRule, string), DateTime> resolved, Dictionary<MonitoringAlertId, DateTime> lastSeenWindowEnd)
    {
        ModelId = modelId;
        ModelName = modelName;
        this.active = active;
        this.resolved = resolved;
        this.lastSeenWindowEnd = lastSeenWindowEnd;
    }

    public RegisteredModelId ModelId { get; }

    public string ModelName { get; }

    public IReadOnlyCollection<MonitoringAlert> Active => active.Values;

    internal static async Task<AlertBook> LoadAsync(PortalDbContext db, RegisteredModelId modelId, string modelName, MonitoringPolicy policy, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        // The windows' alerts only: a rollback's (no window) is neither repeated nor cleared by the monitoring loop.
        var open = await db.MonitoringAlerts.Where(a => a.ModelId == modelId && a.Status != AlertStatus.Resolved && a.LastWindowId != null).ToListAsync(cancellationToken);
        var active = new Dictionary<(AlertRule, string), MonitoringAlert>();
        foreach (var alert in open.OrderBy(a => a.RaisedUtc))
        {
            // Two workers should never both raise one cause (the cursor lease), but if they did, the newest stands for it.
            active[(alert.Rule, alert.Feature)] = alert;
        }

        var since = now.UtcDateTime.AddMinutes(-policy.CooldownMinutes);
        var recent = await db.MonitoringAlerts.AsNoTracking()
            .Where(a => a.ModelId == modelId && a.Status == AlertStatus.Resolved && a.ResolvedUtc >= since)
            .Select(a => new { a.Rule, a.Feature, a.ResolvedUtc })
            .ToListAsync(cancellationToken);
        var resolved = recent.GroupBy(a => (a.Rule, a.Feature)).ToDictionary(g => g.Key, g => g.Max(a => a.ResolvedUtc!.Value));
        var windowIds = open.Select(a => a.LastWindowId!.Value).Distinct().ToList();
        var ends = await db.MonitoringWindows.AsNoTracking().Where(w => windowIds.Contains(w.Id)).Select(w => new { w.Id, w.EndUtc }).ToListAsync(cancellationToken);
        var endOf = ends.ToDictionary(w => w.Id, w => w.EndUtc);
        var lastSeen = open.ToDictionary(a => a.Id, a => endOf.GetValueOrDefault(a.LastWindowId!.Value, DateTime.MinValue));
        return new AlertBook(modelId, modelName, active, resolved, lastSeen);
    }

    internal MonitoringAlert? Find(AlertRule rule, string feature) => active.GetValueOrDefault((rule, feature));

    internal bool CoolingDown(AlertRule rule, string feature, MonitoringPolicy policy, DateTimeOffset now) =>
        resolved.TryGetValue((rule, feature), out var at) && at.AddMinutes(policy.CooldownMinutes) > now.UtcDateTime;

    internal DateTime LastSeenWindowEnd(MonitoringAlert alert) => lastSeenWindowEnd.GetValueOrDefault(alert.Id, DateTime.MinValue);

    internal void Raised(MonitoringAlert alert, DateTime windowEnd)
    {
        active[(alert.Rule, alert.Feature)] = alert;
        lastSeenWindowEnd[alert.Id] = windowEnd;
    }

    internal void Seen(MonitoringAlert alert, DateTime windowEnd) =>
        lastSeenWindowEnd[alert.Id] = windowEnd > LastSeenWindowEnd(alert) ? windowEnd : LastSeenWindowEnd(alert);

    internal void Cleared(MonitoringAlert alert, DateTimeOffset now)
    {
        active.Remove((alert.Rule, alert.Feature));
        lastSeenWindowEnd.Remove(alert.Id);
        resolved[(alert.Rule, alert.Feature)] = now.UtcDateTime;
    }
}
