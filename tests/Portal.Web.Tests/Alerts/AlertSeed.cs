using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;

namespace Portal.Web.Tests.Alerts;

/// <summary>A model with one version, as the API registers it, and its alerts written as the monitoring loop writes them (window, alert, live event).</summary>
public sealed class AlertSeed(PortalAppFactory factory)
{
    public string Model { get; private set; } = "";

    public RegisteredModelId ModelId { get; private set; }

    public ModelVersionId VersionId { get; private set; }

    public async Task<AlertSeed> WithModelAsync(RegistryDriver driver)
    {
        Model = await RegistryDriver.ModelWithVersionsAsync(await driver.ScientistAsync(), 1, "alerts");
        await using var db = factory.RemoteDb();
        var model = await db.RegisteredModels.Include(m => m.Versions).FirstAsync(m => m.Name == Model);
        ModelId = model.Id;
        VersionId = model.FindVersion(1)!.Id;
        return this;
    }

    /// <summary>Writes a window and the alert it raised, with its live event on the alerts topic, raised at <paramref name="raised"/>.</summary>
    public async Task<MonitoringAlert> RaiseAsync(DateTimeOffset raised, AlertRule rule = AlertRule.Drift, string feature = "tenure",
        AlertSeverity severity = AlertSeverity.Critical, string? message = null)
    {
        // Through the app's own contexts, so the commit wakes its live-event tail at once (as an embedded worker's would).
        await using var db = await factory.Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
        var window = MonitoringWindow.Record(MonitoringWindowId.New(raised), ModelId, VersionId, 1, WindowKind.Time, raised.AddMinutes(-5), raised, 500, 0, [],
            DriftReport.Empty, WindowQuality.Empty, "500 rows; 1 feature drifted", raised);
        var alert = MonitoringAlert.Raise(MonitoringAlertId.New(raised), ModelId, VersionId, 1, rule, feature, severity,
            message ?? $"PSI 0.41 ≥ 0.20 on {feature} over 500 rows", window.Id, raised);
        db.MonitoringWindows.Add(window);
        db.MonitoringAlerts.Add(alert);
        Publish(db, alert, raised);
        await db.SaveChangesAsync();
        return alert;
    }

    public static void Publish(PortalDbContext db, MonitoringAlert alert, DateTimeOffset now)
    {
        foreach (var topic in new[] { LiveTopics.Alerts, LiveTopics.Monitoring(alert.ModelId) })
        {
            db.Publish(new AlertChanged(topic, alert.Id, alert.ModelId, alert.Rule, alert.Feature, alert.Severity, alert.Status, alert.Occurrences, alert.Message), now);
        }
    }
}
