using Microsoft.EntityFrameworkCore;
using Portal.Application.Monitoring;
using Portal.Data.Live;
using Portal.Data.Tests.Infrastructure;
using Portal.Domain.Audit;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>
/// The monitoring loop's round over a real champion's logged traffic (rows scored by the real engine) in a real SQLite file:
/// windows by time and by count, their figures, poisoned rows, late labels and the alerts they raise.
/// </summary>
public sealed class ModelMonitorTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private static readonly MonitoringPolicy Policy = MonitoringPolicy.Default with { WindowMinutes = 1, WindowRows = 100, MinimumLabels = 50, CooldownMinutes = 30 };
    private static readonly MonitoringRoundSettings Settings = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), 1000, TimeSpan.FromHours(1));
    private readonly TestWorker worker = new(database);

    private MonitoringScenario Scenario => new(database, worker);

    [Fact]
    public async Task ClosedWindowsCountServedRowsTheirPredictionsQualityAndLabelsAndTheCursorStopsAtTheLastClosedOne()
    {
        var scenario = Scenario;
        var champion = await scenario.ChampionAsync(Policy);
        var start = worker.FakeTime.GetUtcNow();
        var rows = MonitoringScenario.Rows(champion, 300, seed: 11);
        for (var i = 0; i < 6; i++)
        {
            // Five requests of 50 rows in minute 0, one in minute 1.
            var chunk = rows.Skip(i * 50).Take(50).ToList();
            var batch = await scenario.ServeAsync(champion, [.. chunk.Select(r => r.Row)], start.AddSeconds(i < 5 ? 5 + i : 75));
            await scenario.LabelAsync(batch, [.. chunk.Select(r => r.Label)], start.AddSeconds(80));
        }

        worker.FakeTime.SetUtcNow(start.AddSeconds(135));
        await ClaimAsync(champion);

        var time = await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Time, "monitor-a", Settings, CancellationToken.None);
        var count = await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Count, "monitor-a", Settings, CancellationToken.None);

        Assert.True(time.Succeeded, time.Error);
        Assert.True(count.Succeeded, count.Error);
        var timeWindows = await scenario.WindowsAsync(champion.ModelId, WindowKind.Time);
        Assert.All(timeWindows, w => Assert.DoesNotContain("Not measured", w.Summary));
        // Quality judges every feature; drift every one but the identifier (e-mail addresses: every live value is new).
        Assert.All(timeWindows, w => Assert.Equal(
            w.Quality.Features.Select(f => f.Name).Where(n => n != "email").Order(StringComparer.Ordinal),
            w.Drift.Features.Select(f => f.Name).Order(StringComparer.Ordinal)));
        Assert.Equal([250L, 50L], timeWindows.Select(w => w.Rows));
        Assert.Equal([start.UtcDateTime, start.UtcDateTime.AddMinutes(1)], timeWindows.Select(w => w.StartUtc));
        Assert.All(timeWindows, w => Assert.Equal(w.Rows, w.Predictions.Sum(p => p.Count)));
        Assert.All(timeWindows, w => Assert.Equal(w.Rows, w.LabeledRows));
        Assert.All(timeWindows, w => Assert.InRange(w.Accuracy!.Value, 0.5, 1));
        Assert.All(timeWindows, w => Assert.Equal(champion.Signature.Count(f => MonitoredVersions.KindOf(f.Type) is not null), w.Quality.Features.Count));
        Assert.All(timeWindows, w => Assert.All(w.Quality.Features, f => Assert.Equal(0, f.Missing)));
        Assert.Equal([100L, 100L, 100L], (await scenario.WindowsAsync(champion.ModelId, WindowKind.Count)).Select(w => w.Rows));
        var cursor = await scenario.CursorAsync(champion.ModelId, WindowKind.Time);
        Assert.Equal(start.UtcDateTime.AddSeconds(75), cursor!.LastReceivedUtc);
        Assert.Equal(2, await EventsAsync<MonitoringChanged>(LiveTopics.Monitoring(champion.ModelId), WindowKind.Time));
    }

    [Fact]
    public async Task APoisonedWindowIsWrittenRaisesADataQualityAlertAndTheLoopGoesOnPastIt()
    {
        var scenario = Scenario;
        var champion = await scenario.ChampionAsync(Policy);
        var start = worker.FakeTime.GetUtcNow();
        var rows = MonitoringScenario.Rows(champion, 100, seed: 12);
        await scenario.ServeAsync(champion, [.. rows.Take(50).Select(r => r.Row)], start.AddSeconds(5), _ => "[{\"age\": 41, \"income\": ");
        await scenario.ServeAsync(champion, [.. rows.Skip(50).Select(r => r.Row)], start.AddSeconds(65));
        worker.FakeTime.SetUtcNow(start.AddSeconds(135));
        await ClaimAsync(champion);

        var result = await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Time, "monitor-a", Settings, CancellationToken.None);

        Assert.True(result.Succeeded, result.Error);
        var windows = await scenario.WindowsAsync(champion.ModelId, WindowKind.Time);
        Assert.Equal([50L, 50L], windows.Select(w => w.Rows));
        Assert.All(windows[0].Quality.Features, f => Assert.Equal(50, f.Missing));
        Assert.Contains("could not be read", windows[0].Summary);
        Assert.All(windows[1].Quality.Features, f => Assert.Equal(0, f.Missing));
        var alerts = await scenario.AlertsAsync(champion.ModelId);
        var quality = alerts.Where(a => a.Rule == AlertRule.DataQuality && a.WindowId == windows[0].Id).ToList();
        Assert.NotEmpty(quality);
        Assert.All(quality, a => Assert.Equal(AlertSeverity.Critical, a.Severity));
        Assert.Equal(start.UtcDateTime.AddSeconds(65), (await scenario.CursorAsync(champion.ModelId, WindowKind.Time))!.LastReceivedUtc);
        Assert.Equal(alerts.Count, await AuditCountAsync(AuditActions.AlertRaised.Name, alerts.Select(a => a.Id.ToString())));
    }

    [Fact]
    public async Task LateLabelsUpdateTheirWindowAndAWrongStreakRaisesOneAccuracyAlert()
    {
        var scenario = Scenario;
        var champion = await scenario.ChampionAsync(Policy);
        var start = worker.FakeTime.GetUtcNow();
        var rows = MonitoringScenario.Rows(champion, 100, seed: 13);
        var batch = await scenario.ServeAsync(champion, [.. rows.Select(r => r.Row)], start.AddSeconds(5));
        worker.FakeTime.SetUtcNow(start.AddSeconds(75));
        await ClaimAsync(champion);
        await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Time, "monitor-a", Settings, CancellationToken.None);
        var before = Assert.Single(await scenario.WindowsAsync(champion.ModelId, WindowKind.Time));

        // The truth arrives late, and the model got every row wrong.
        var outputs = System.Text.Json.JsonDocument.Parse(batch.OutputsJson).RootElement.EnumerateArray().Select(o => o.GetProperty("predictedLabel").GetString()!).ToList();
        await scenario.LabelAsync(batch, [.. outputs.Select(p => p == "true" ? "false" : "true")], start.AddSeconds(90));
        worker.FakeTime.SetUtcNow(start.AddSeconds(95));
        var result = await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Time, "monitor-a", Settings, CancellationToken.None);
        var again = await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Time, "monitor-a", Settings, CancellationToken.None);

        Assert.Equal(0, before.LabeledRows);
        Assert.Null(before.Accuracy);
        Assert.Equal(1, result.Value!.LabelUpdates);
        Assert.Equal(0, again.Value!.LabelUpdates);
        var after = Assert.Single(await scenario.WindowsAsync(champion.ModelId, WindowKind.Time));
        Assert.Equal((100L, 0.0), (after.LabeledRows, after.Accuracy!.Value));
        var alert = Assert.Single(await scenario.AlertsAsync(champion.ModelId), a => a.Rule == AlertRule.AccuracyDrop);
        Assert.Equal((AlertSeverity.Critical, AlertStatus.Open, after.Id), (alert.Severity, alert.Status, alert.WindowId));
        Assert.Contains("Live accuracy 0.000 on 100 labels", alert.Message);
        Assert.Equal(2, await EventsAsync<MonitoringChanged>(LiveTopics.Monitoring(champion.ModelId), WindowKind.Time));
        Assert.Equal(1, await EventsAsync<AlertChanged>(LiveTopics.Alerts, null, champion));
    }

    [Fact]
    public async Task AWorkerWithoutTheCursorLeaseWritesNothing()
    {
        var scenario = Scenario;
        var champion = await scenario.ChampionAsync(Policy);
        var start = worker.FakeTime.GetUtcNow();
        await scenario.ServeAsync(champion, [.. MonitoringScenario.Rows(champion, 50, seed: 14).Select(r => r.Row)], start.AddSeconds(5));
        worker.FakeTime.SetUtcNow(start.AddSeconds(75));
        await ClaimAsync(champion);

        var other = await scenario.Monitor().MonitorAsync(champion.ModelId, WindowKind.Time, "monitor-b", Settings, CancellationToken.None);

        Assert.Equal(Portal.Application.OperationStatus.Conflict, other.Status);
        Assert.Empty(await scenario.WindowsAsync(champion.ModelId, WindowKind.Time));
        Assert.Empty(await scenario.Leases().ClaimAsync("monitor-b", TimeSpan.FromSeconds(30), CancellationToken.None));
    }

    private async Task ClaimAsync(Champion champion)
    {
        var claimed = await Scenario.Leases().ClaimAsync("monitor-a", TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.Contains((champion.ModelId, WindowKind.Time), claimed);
        Assert.Contains((champion.ModelId, WindowKind.Count), claimed);
    }

    private async Task<int> EventsAsync<T>(string topic, WindowKind? kind, Champion? champion = null)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var rows = await db.LiveEvents.AsNoTracking().Where(e => e.Topic == topic).ToListAsync();
        var events = rows.Select(r => LiveEventJson.Read(r.Type, r.Payload)).OfType<T>().ToList();
        return events.Count(e => e switch
        {
            MonitoringChanged m => m.Kind == kind,
            AlertChanged a => a.ModelId == champion!.ModelId && a.Rule == AlertRule.AccuracyDrop,
            _ => false,
        });
    }

    private async Task<int> AuditCountAsync(string action, IEnumerable<string> subjects)
    {
        var ids = subjects.ToList();
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.AuditEntries.CountAsync(a => a.Action == action && ids.Contains(a.SubjectId));
    }
}
