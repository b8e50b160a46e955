using Microsoft.EntityFrameworkCore;
using Portal.Application.Monitoring;
using Portal.Data.Tests.Infrastructure;
using Portal.Data.Webhooks;
using Portal.Domain.Audit;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Runs;
using Portal.Domain.Security;
using Portal.Domain.Webhooks;
using Portal.Worker.Tests.Infrastructure;

namespace Portal.Worker.Tests.Monitoring;

/// <summary>
/// <see cref="AlertRaiser"/> driven with windows in a real SQLite file: an alert storm is bounded by de-duplication, a cause that
/// goes away clears its alert, and the cool-down keeps a resolved cause quiet.
/// </summary>
public sealed class AlertRaiserTests(SqliteTestDatabase database) : IClassFixture<SqliteTestDatabase>
{
    private static readonly string[] Features = ["income", "debt", "purpose"];
    private static readonly MonitoringPolicy Policy = MonitoringPolicy.Default with { CooldownMinutes = 30 };
    private readonly TestWorker worker = new(database);

    [Fact]
    public async Task TenThousandDriftingWindowsLeaveExactlyOneOpenAlertPerFeatureAndRuleCountingEveryRepeat()
    {
        var (model, version) = await ModelAsync();
        await SubscribeAsync();
        const int windows = 10_000;

        // Every window: all three features drifted and 20 % of the rows refused (schema violation).
        await FeedAsync(model, version, windows, drifted: Features, refused: 200);

        var alerts = await AlertsAsync(model.Id);
        Assert.Equal(
            Features.Select(f => (AlertRule.Drift, f)).Append((AlertRule.SchemaViolation, "")).Order(),
            alerts.Select(a => (a.Rule, a.Feature)).Order());
        Assert.All(alerts, a => Assert.Equal((AlertStatus.Open, windows), (a.Status, a.Occurrences)));
        Assert.All(alerts, a => Assert.NotEqual(a.WindowId, a.LastWindowId));
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var subjects = alerts.Select(a => a.Id.ToString()).ToList();
        Assert.Equal(4, await db.AuditEntries.CountAsync(e => e.Action == AuditActions.AlertRaised.Name && subjects.Contains(e.SubjectId)));
        Assert.Equal(4, await db.WebhookDeliveries.CountAsync(d => d.EventType == WebhookEventTypes.AlertRaised && d.Payload.Contains(model.Name)));
        Assert.Equal(windows, await db.MonitoringWindows.CountAsync(w => w.ModelId == model.Id));
    }

    [Fact]
    public async Task ACauseAbsentForThreeWindowsClearsItsAlertAndStaysQuietThroughTheCooldown()
    {
        var (model, version) = await ModelAsync();
        await FeedAsync(model, version, 5, drifted: ["income"]);
        await FeedAsync(model, version, 2, drifted: []);
        var stillOpen = Assert.Single(await AlertsAsync(model.Id));

        await FeedAsync(model, version, 1, drifted: []);
        var cleared = Assert.Single(await AlertsAsync(model.Id));
        worker.FakeTime.Advance(TimeSpan.FromMinutes(10));
        await FeedAsync(model, version, 3, drifted: ["income"]);
        var quiet = await AlertsAsync(model.Id);
        worker.FakeTime.Advance(TimeSpan.FromMinutes(25));
        await FeedAsync(model, version, 1, drifted: ["income"]);

        Assert.Equal(AlertStatus.Open, stillOpen.Status);
        Assert.Equal((AlertStatus.Resolved, AlertRaiser.ClearedBy, 5), (cleared.Status, cleared.ResolvedBy, cleared.Occurrences));
        Assert.Single(quiet);
        var alerts = await AlertsAsync(model.Id);
        Assert.Equal([AlertStatus.Resolved, AlertStatus.Open], alerts.Select(a => a.Status));
        Assert.Equal(1, alerts[1].Occurrences);
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        var subject = cleared.Id.ToString();
        Assert.Equal([AuditActions.AlertRaised.Name, AuditActions.AlertCleared.Name],
            await db.AuditEntries.Where(e => e.SubjectId == subject).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync());
    }

    [Fact]
    public async Task AnAcknowledgedAlertIsRepeatedNotRaisedAgain()
    {
        var (model, version) = await ModelAsync();
        await FeedAsync(model, version, 1, drifted: ["debt"]);
        await using (var db = await database.Factory.CreateDbContextAsync())
        {
            var alert = await db.MonitoringAlerts.SingleAsync(a => a.ModelId == model.Id);
            Assert.True(alert.Acknowledge("manager", [Roles.BusinessManager], "looking into it", worker.Time.GetUtcNow()).Succeeded);
            await db.SaveChangesAsync();
        }

        await FeedAsync(model, version, 4, drifted: ["debt"]);

        var only = Assert.Single(await AlertsAsync(model.Id));
        Assert.Equal((AlertStatus.Acknowledged, 5), (only.Status, only.Occurrences));
    }

    /// <summary>Writes <paramref name="count"/> count windows of 1,000 rows, judging each, 250 to a transaction (as the loop writes several windows at once).</summary>
    private async Task FeedAsync(RegisteredModel model, MonitoredVersion version, int count, IReadOnlyList<string> drifted, long refused = 0)
    {
        var raiser = new AlertRaiser(new Portal.Data.Audit.AuditTrail(database.Factory, worker.Time), worker.Time,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<AlertRaiser>.Instance);
        for (var done = 0; done < count;)
        {
            await using var db = await database.Factory.CreateDbContextAsync();
            var previous = (await db.MonitoringWindows.AsNoTracking().Where(w => w.ModelId == model.Id).OrderByDescending(w => w.EndUtc).Take(3).ToListAsync())
                .AsEnumerable().Reverse().ToList();
            var book = await raiser.OpenAsync(db, model, CancellationToken.None);
            for (var i = 0; i < 250 && done < count; i++, done++)
            {
                var end = (previous.Count == 0 ? worker.Time.GetUtcNow().UtcDateTime : previous[^1].EndUtc).AddSeconds(1);
                var drift = new DriftReport(100_000, 1000, [.. Features.Select(f => new FeatureDrift(f, f == "purpose" ? FeatureKind.Categorical : FeatureKind.Numeric,
                    f == "purpose" ? DriftTest.Chi2 : DriftTest.Ks, 0.3, 1e-9, drifted.Contains(f) ? 0.5 : 0.01, drifted.Contains(f)))]);
                var window = MonitoringWindow.Record(MonitoringWindowId.New(worker.Time.GetUtcNow()), model.Id, version.Id, version.Number, WindowKind.Count,
                    end.AddSeconds(-1), end, 1000, refused, [new PredictionShare("true", 1000 - refused)], drift,
                    new WindowQuality(1000, refused, [.. Features.Select(f => new FeatureQuality(f, 0, 0, 0))]), "test window", worker.Time.GetUtcNow());
                db.MonitoringWindows.Add(window);
                await raiser.EvaluateAsync(db, book, window, version, previous, Policy, "monitor-a", CancellationToken.None);
                previous.Add(window);
            }

            await db.SaveChangesAsync();
        }
    }

    private async Task<(RegisteredModel, MonitoredVersion)> ModelAsync()
    {
        var runId = await worker.NewRun().QueuedAsync();
        var now = worker.Time.GetUtcNow();
        await using var db = await database.Factory.CreateDbContextAsync();
        var model = RegisteredModel.Create($"storm-{Guid.NewGuid():N}"[..20], "alert tests", "scientist", [Roles.DataScientist], RiskTier.Low, now);
        var version = model.RegisterVersion(new VersionRegistration(runId, "scientist", [], [new("income", "Single"), new("debt", "Single"), new("purpose", "String")],
            new Dictionary<string, double> { ["accuracy"] = 0.9 }, new string('c', 64)), "scientist", now);
        Assert.True(model.Apply(new PromotionTransition(PromotionRequestId.New(now), model.Id, version.Id, ModelStage.Production, ["manager"], "approved",
            new string('a', 64), false), now).Succeeded);
        db.RegisteredModels.Add(model);
        await db.SaveChangesAsync();
        var features = Features.Select(f => new MonitoredFeature(f, f == "purpose" ? FeatureKind.Categorical : FeatureKind.Numeric, null, null, null)).ToList();
        return (model, new MonitoredVersion(version.Id, version.Number, MlTask.Binary, features, 0.9, null, [], null));
    }

    private async Task SubscribeAsync()
    {
        await using var db = await database.Factory.CreateDbContextAsync();
        if (!await db.WebhookSubscriptions.AnyAsync())
        {
            var (subscription, _) = WebhookSubscription.Create("alert-receiver", "https://hooks.example.org/alerts",
                [WebhookEventTypes.AlertRaised, WebhookEventTypes.AlertResolved], "admin-1", "admin@portal.local", worker.Time.GetUtcNow());
            db.WebhookSubscriptions.Add(subscription);
            await db.SaveChangesAsync();
        }
    }

    private async Task<List<MonitoringAlert>> AlertsAsync(RegisteredModelId modelId)
    {
        await using var db = await database.OtherProcess.CreateDbContextAsync();
        return await db.MonitoringAlerts.AsNoTracking().Where(a => a.ModelId == modelId).OrderBy(a => a.RaisedUtc).ThenBy(a => a.Status).ToListAsync();
    }
}
