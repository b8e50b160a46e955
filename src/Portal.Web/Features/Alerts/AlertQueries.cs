using Microsoft.EntityFrameworkCore;
using Portal.Application.Monitoring;
using Portal.Data;
using Portal.Domain.Monitoring;
using Portal.Domain.Rollouts;
using Portal.Domain.Text;

namespace Portal.Web.Features.Alerts;

/// <summary>Which alerts a list shows by status: <see cref="Active"/> is open or acknowledged (not yet resolved).</summary>
public enum AlertStatusFilter
{
    Active,
    Open,
    Acknowledged,
    Resolved,
}

/// <summary>Filters of the alert list; null or empty means any.</summary>
public sealed record AlertFilter(AlertStatusFilter? Status = null, string? Model = null, AlertRule? Rule = null, AlertSeverity? Severity = null,
    string? Search = null);

/// <summary>One alert as the list, the API and the page show it, with the window that raised it and where to look at it.</summary>
public sealed record AlertRow(
    MonitoringAlertId Id,
    string Model,
    int VersionNumber,
    AlertRule Rule,
    string Feature,
    AlertSeverity Severity,
    AlertStatus Status,
    string Message,
    MonitoringWindowId? WindowId,
    DateTime? WindowStartUtc,
    DateTime? WindowEndUtc,
    MonitoringWindowId? LastWindowId,
    RolloutId? RolloutId,
    DateTime RaisedUtc,
    DateTime LastSeenUtc,
    int Occurrences,
    string? AcknowledgedBy,
    DateTime? AcknowledgedUtc,
    string? AcknowledgeComment,
    string? ResolvedBy,
    DateTime? ResolvedUtc,
    string? ResolveComment)
{
    /// <summary>The model's monitoring dashboard at the window and feature that raised the alert; the rollout page of a rollback.</summary>
    public string DashboardUrl => AlertHandling.DashboardPath(Model, WindowId, RolloutId, Feature);
}

/// <summary>Reads of monitoring alerts for the API, the alerts page and the badge: projections, no tracking, filtered and paged in SQL.</summary>
public sealed class AlertQueries(IDbContextFactory<PortalDbContext> dbFactory)
{
    public const int MaxSearchLength = 200;

    /// <summary>A page of alerts matching <paramref name="filter"/>, newest raised first, and how many match in all.</summary>
    public async Task<(IReadOnlyList<AlertRow> Items, int Total)> ListAsync(AlertFilter filter, int page, int pageSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var query = Rows(db);
        if (!string.IsNullOrWhiteSpace(filter.Model))
        {
            var normalized = TextRule.NormalizedName(filter.Model.Trim());
            query = query.Where(r => r.NormalizedName == normalized);
        }

        query = filter.Status switch
        {
            AlertStatusFilter.Active => query.Where(r => r.Alert.Status != AlertStatus.Resolved),
            AlertStatusFilter.Open => query.Where(r => r.Alert.Status == AlertStatus.Open),
            AlertStatusFilter.Acknowledged => query.Where(r => r.Alert.Status == AlertStatus.Acknowledged),
            AlertStatusFilter.Resolved => query.Where(r => r.Alert.Status == AlertStatus.Resolved),
            _ => query,
        };
        if (filter.Rule is { } rule)
        {
            query = query.Where(r => r.Alert.Rule == rule);
        }

        if (filter.Severity is { } severity)
        {
            query = query.Where(r => r.Alert.Severity == severity);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var text = filter.Search.Trim().ToLowerInvariant();
            query = query.Where(r => r.Alert.Message.ToLower().Contains(text) || r.Alert.Feature.ToLower().Contains(text) || r.Name.ToLower().Contains(text));
        }

        var total = await query.CountAsync(cancellationToken);
        var rows = await query.OrderByDescending(r => r.Alert.RaisedUtc).ThenByDescending(r => r.Alert.Id)
            .Skip(page * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return ([.. rows.Select(ToRow)], total);
    }

    public async Task<AlertRow?> GetAsync(MonitoringAlertId id, CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var row = await Rows(db).FirstOrDefaultAsync(r => r.Alert.Id == id, cancellationToken);
        return row is null ? null : ToRow(row);
    }

    /// <summary>Alerts nobody has acknowledged yet: what needs attention (the badge).</summary>
    public async Task<int> CountOpenAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.MonitoringAlerts.CountAsync(a => a.Status == AlertStatus.Open, cancellationToken);
    }

    /// <summary>The names of the models that have alerts, for the list's model filter.</summary>
    public async Task<IReadOnlyList<string>> ModelNamesAsync(CancellationToken cancellationToken)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var ids = db.MonitoringAlerts.Select(a => a.ModelId).Distinct();
        return await db.RegisteredModels.AsNoTracking().Where(m => ids.Contains(m.Id)).OrderBy(m => m.Name).Select(m => m.Name).ToListAsync(cancellationToken);
    }

    private static IQueryable<Joined> Rows(PortalDbContext db) =>
        from a in db.MonitoringAlerts.AsNoTracking()
        join m in db.RegisteredModels on a.ModelId equals m.Id
        join w in db.MonitoringWindows on a.WindowId equals w.Id into windows
        from w in windows.DefaultIfEmpty()
        select new Joined { Alert = a, Name = m.Name, NormalizedName = m.NormalizedName, StartUtc = w == null ? null : w.StartUtc, EndUtc = w == null ? null : w.EndUtc };

    private static AlertRow ToRow(Joined r) =>
        new(r.Alert.Id, r.Name, r.Alert.VersionNumber, r.Alert.Rule, r.Alert.Feature, r.Alert.Severity, r.Alert.Status, r.Alert.Message, r.Alert.WindowId,
            r.StartUtc, r.EndUtc, r.Alert.LastWindowId, r.Alert.RolloutId, r.Alert.RaisedUtc, r.Alert.LastSeenUtc, r.Alert.Occurrences, r.Alert.AcknowledgedBy,
            r.Alert.AcknowledgedUtc, r.Alert.AcknowledgeComment, r.Alert.ResolvedBy, r.Alert.ResolvedUtc, r.Alert.ResolveComment);

    // A member-initialised class (not a positional record) so that EF can translate filters on its properties.
    private sealed class Joined
    {
        public required MonitoringAlert Alert { get; init; }

        public required string Name { get; init; }

        public required string NormalizedName { get; init; }

        public DateTime? StartUtc { get; init; }

        public DateTime? EndUtc { get; init; }
    }
}
