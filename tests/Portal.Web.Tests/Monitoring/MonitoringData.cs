using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Data.Live;
using Portal.Web.Tests.Infrastructure;
using Portal.Web.Tests.Registry;
using Microsoft.EntityFrameworkCore;

namespace Portal.Web.Tests.Monitoring;

/// <summary>A model in production, as the monitoring loop sees one.</summary>
public sealed record MonitoredModel(string Name, RegisteredModelId Id, ModelVersionId VersionId, int Version);

/// <summary>
/// Monitoring data for the read side's tests: a model whose version 1 reached Production through the real promotion path
/// (its run recorded a validation accuracy), and windows and alerts written the way the monitoring loop writes them — through
/// a DbContext of its own, each with its live event in the same save.
/// </summary>
public sealed class MonitoringData(PortalAppFactory factory)
{
    public static readonly DateTime Start = new(2026, 12, 2, 9, 0, 0, DateTimeKind.Utc);

    private readonly RegistryDriver driver = new(factory);

    /// <summary>A binary model whose version 1 is the champion, with <paramref name="validationAccuracy"/> as its recorded accuracy.</summary>
    public async Task<MonitoredModel> ChampionAsync(double validationAccuracy = 0.86, string prefix = "monitored")
    {
        var scientist = await driver.ScientistAsync();
        var started = await scientist.PostAsJsonAsync("/api/runs", new { experiment = "monitoring-tests", mode = "external", labelColumn = "label", task = "binary" });
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var runId = (await started.JsonAsync()).GetProperty("runId").GetGuid();
        var file = new ByteArrayContent(TinyModels.Full);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/zip");
        Assert.Equal(HttpStatusCode.OK, (await scientist.PostAsync($"/api/runs/{runId}/artifact", file)).StatusCode);
        var metrics = new[] { new { key = "accuracy", value = validationAccuracy, step = 0L }, new { key = "areaUnderRocCurve", value = 0.9, step = 0L } };
        Assert.True((await scientist.PostAsJsonAsync($"/api/runs/{runId}/log-batch", new { metrics })).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.OK, (await scientist.PostAsJsonAsync($"/api/runs/{runId}/end", new { status = "Succeeded" })).StatusCode);
        var name = await RegistryDriver.CreateModelAsync(scientist, prefix);
        var version = await RegistryDriver.RegisterAsync(scientist, name, runId);
        var request = await RegistryDriver.RequestAsync(scientist, name, version);
        var approved = await RegistryDriver.ApproveAsync(await driver.ManagerAsync(), request, await driver.EvaluateAsync(request));
        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        await using var db = factory.RemoteDb();
        var model = await db.RegisteredModels.AsNoTracking().SingleAsync(m => m.Name == name);
        var versionId = await db.ModelVersions.Where(v => v.ModelId == model.Id && v.Number == version).Select(v => v.Id).SingleAsync();
        return new(name, model.Id, versionId, version);
    }

    /// <summary>A model with a registered version and no champion (a window still needs a version to point at).</summary>
    public async Task<MonitoredModel> WithoutChampionAsync()
    {
        var scientist = await driver.ScientistAsync();
        var name = await RegistryDriver.ModelWithVersionsAsync(scientist, 1, "unmonitored");
        await using var db = factory.RemoteDb();
        var model = await db.RegisteredModels.AsNoTracking().SingleAsync(m => m.Name == name);
        var versionId = await db.ModelVersions.Where(v => v.ModelId == model.Id).Select(v => v.Id).SingleAsync();
        return new(name, model.Id, versionId, 1);
    }

    public static FeatureDrift Numeric(string name, double psi, bool drifted, double statistic = 0.05, double pValue = 0.4) =>
        new(name, FeatureKind.Numeric, DriftTest.Ks, statistic, pValue, psi, drifted);

    public static FeatureDrift Categorical(string name, double psi, bool drifted, double statistic = 1.5, double pValue = 0.5) =>
        new(name, FeatureKind.Categorical, DriftTest.Chi2, statistic, pValue, psi, drifted);

    /// <summary>Writes a closed window ending <paramref name="minute"/> minutes after <see cref="Start"/>, with its labels, and publishes MonitoringChanged.</summary>
    public async Task<MonitoringWindow> WindowAsync(MonitoredModel model, int minute, double? accuracy, IReadOnlyList<FeatureDrift> drift,
        WindowKind kind = WindowKind.Time, long rows = 400, long labels = 300, IReadOnlyList<PredictionShare>? predictions = null, WindowQuality? quality = null)
    {
        var now = DateTimeOffset.UtcNow;
        var end = Start.AddMinutes(minute);
        var window = MonitoringWindow.Record(MonitoringWindowId.New(now), model.Id, model.VersionId, model.Version, kind, end.AddMinutes(-1), end, rows, 4,
            predictions ?? [new("true", rows / 4), new("false", rows - (rows / 4))], new DriftReport(5000, rows, drift),
            quality ?? new WindowQuality(rows, 4, drift.Select(f => new FeatureQuality(f.Name, 2, f.Kind == FeatureKind.Numeric ? 5 : 0, f.Kind == FeatureKind.Categorical ? 3 : 0)).ToList()),
            $"accuracy {accuracy} on {labels} labels", now);
        window.UpdateLabels(accuracy is null ? 0 : labels, accuracy, null, now);
        await using var db = factory.RemoteDb();
        db.MonitoringWindows.Add(window);
        db.Publish(new MonitoringChanged(LiveTopics.Monitoring(model.Id), model.Id, window.Id, model.Version, kind, window.EndUtc, rows, accuracy, null,
            window.DriftedFeatures, window.Summary), now);
        await db.SaveChangesAsync();
        return window;
    }

    /// <summary>Raises an alert on <paramref name="window"/> and publishes AlertChanged on the model's topic and the alerts topic.</summary>
    public async Task<MonitoringAlert> AlertAsync(MonitoredModel model, MonitoringWindow window, AlertRule rule, string feature, AlertSeverity severity,
        string message, bool resolved = false)
    {
        var now = DateTimeOffset.UtcNow;
        var alert = MonitoringAlert.Raise(MonitoringAlertId.New(now), model.Id, model.VersionId, model.Version, rule, feature, severity, message, window.Id, now);
        if (resolved)
        {
            alert.Clear("The cause cleared.", now);
        }

        await using var db = factory.RemoteDb();
        db.MonitoringAlerts.Add(alert);
        foreach (var topic in new[] { LiveTopics.Monitoring(model.Id), LiveTopics.Alerts })
        {
            db.Publish(new AlertChanged(topic, alert.Id, model.Id, rule, feature, severity, alert.Status, 1, message), now);
        }

        await db.SaveChangesAsync();
        return alert;
    }
}
