using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Application.Runs;
using Portal.Data;
using Portal.Data.Live;
using Portal.Domain.Live;
using Portal.Domain.Monitoring;
using Portal.Domain.Registry;
using Portal.Domain.Security;
using Portal.EndToEnd.Tests.Infrastructure;
using Portal.EndToEnd.Tests.Pages;
using Portal.Web.Features.Alerts;
using static Microsoft.Playwright.Assertions;

namespace Portal.EndToEnd.Tests;

/// <summary>
/// Issue 12's alerts, in the browser: a business manager on /alerts sees a drift alert appear as the monitoring loop commits it,
/// and the app bar's badge count it, without a reload; acknowledges it with a comment through the dialog, and the row moves to
/// Acknowledged and the badge lets go of it, again without a reload.
/// </summary>
public sealed class AlertJourneyTests(PortalBrowserFixture fixture) : BrowserTest(fixture), IClassFixture<PortalBrowserFixture>
{
    private IServiceProvider Services => Fixture.App.Services;

    [Fact]
    public async Task AManagerSeesADriftAlertArriveLiveAndAcknowledgesItWithACommentWithoutAReload()
    {
        // Arrange: a model with one version, and the manager on the alerts page.
        var model = $"alerting-{Guid.NewGuid():N}"[..17];
        var version = await ModelWithVersionAsync(model);
        var before = await Services.GetRequiredService<AlertQueries>().CountOpenAsync(default);
        var page = await SignedInAsync(DemoAccounts.Manager);
        await page.GotoAsync("alerts");
        await new AppShell(page).WaitUntilInteractiveAsync();
        await Expect(page.GetByTestId("alerts-table")).ToBeVisibleAsync();
        var row = page.Locator("tr").Filter(new() { HasText = model });

        // Act 1: the monitoring loop raises a drift alert on a feature.
        var alert = await RaiseAsync(version, "monthly_charges");

        // Assert 1: the row and the badge, live.
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByTestId("alert-feature")).ToHaveTextAsync("monthly_charges");
        await Expect(row.GetByTestId("alert-status")).ToHaveTextAsync("Open");
        await Expect(row.GetByTestId("alert-dashboard-link")).ToHaveAttributeAsync("href",
            $"models/{model}/monitoring?window={alert.WindowId}&feature=monthly_charges");
        await Expect(page.GetByTestId("alert-badge")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));

        // Act 2: acknowledge with a comment, from the keyboard-usable dialog.
        // The row arrived through the circuit, so its button is already wired to its handler.
        await row.GetByTestId("alert-acknowledge").ClickAsync();
        await MudControls.Input(page, "alert-action-comment").FillAsync("Retraining on last month's customers.");
        await page.GetByTestId("alert-action-confirm").ClickAsync();

        // Assert 2: acknowledged on the page and in the database, the badge back to what it was, all without a reload.
        await Expect(row.GetByTestId("alert-status")).ToHaveTextAsync("Acknowledged");
        await Expect(row.GetByTestId("alert-ack-comment")).ToContainTextAsync("Retraining on last month's customers.");
        await Expect(row.GetByTestId("alert-acknowledge")).ToHaveCountAsync(0);
        if (before == 0)
        {
            await Expect(page.GetByTestId("alert-badge")).ToHaveCountAsync(0);
        }
        else
        {
            await Expect(page.GetByTestId("alert-badge")).ToHaveTextAsync(before.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await using var db = await DbAsync();
        var stored = await db.MonitoringAlerts.AsNoTracking().SingleAsync(a => a.Id == alert.Id);
        Assert.Equal((AlertStatus.Acknowledged, DemoAccounts.Manager), (stored.Status, stored.AcknowledgedBy));
    }

    /// <summary>A registered model whose version 1 comes from an external run (no training: the alert is what is tested).</summary>
    private async Task<ModelVersion> ModelWithVersionAsync(string name)
    {
        var scientist = await new GovernanceSteps(Services).ActorAsync(DemoAccounts.Scientist);
        var run = await Services.GetRequiredService<ExternalRunTracking>().StartAsync(new StartExternalRun("alerts-journey"), scientist, default);
        Assert.True(run.Succeeded, run.Error);
        var now = DateTimeOffset.UtcNow;
        var model = RegisteredModel.Create(name, "Which customers leave within the quarter.", scientist.Id, [Roles.DataScientist], RiskTier.Low, now);
        var version = model.RegisterVersion(new VersionRegistration(run.Value, scientist.Name, [], [new InputFeature("monthly_charges", "Single")],
            new Dictionary<string, double>(), new string('a', 64)), scientist.Name, now);
        await using var db = await DbAsync();
        db.RegisteredModels.Add(model);
        await db.SaveChangesAsync();
        return version;
    }

    /// <summary>What the monitoring loop commits when a window drifts: the window, the alert it raised and the alert's live events.</summary>
    private async Task<MonitoringAlert> RaiseAsync(ModelVersion version, string feature)
    {
        var now = DateTimeOffset.UtcNow;
        await using var db = await DbAsync();
        var window = MonitoringWindow.Record(MonitoringWindowId.New(now), version.ModelId, version.Id, version.Number, WindowKind.Time, now.AddMinutes(-5), now,
            1000, 0, [], DriftReport.Empty, WindowQuality.Empty, "1,000 rows; 1 feature drifted", now);
        var alert = MonitoringAlert.Raise(MonitoringAlertId.New(now), version.ModelId, version.Id, version.Number, AlertRule.Drift, feature, AlertSeverity.Critical,
            $"PSI 0.41 ≥ 0.20 on {feature} over 1,000 rows", window.Id, now);
        db.MonitoringWindows.Add(window);
        db.MonitoringAlerts.Add(alert);
        foreach (var topic in new[] { LiveTopics.Alerts, LiveTopics.Monitoring(alert.ModelId) })
        {
            db.Publish(new AlertChanged(topic, alert.Id, alert.ModelId, alert.Rule, alert.Feature, alert.Severity, alert.Status, alert.Occurrences, alert.Message), now);
        }

        await db.SaveChangesAsync();
        return alert;
    }

    private Task<PortalDbContext> DbAsync() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync();
}
